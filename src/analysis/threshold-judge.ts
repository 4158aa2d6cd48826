// The threshold judge: the rule's metric measured over its window, compared with a fixed value or with the
// other version's value scaled and offset (`p95_latency(canary) > 1.2 × p95_latency(stable)`). Too few
// requests on either side make the verdict inconclusive, never a pass.

import type { MetricUnit } from '../metrics/metric-source.js';
import type { AnalysisRule } from './judged-rule.js';
import { canonicalValue, formatCount, formatValue } from './quantities.js';
import type { Operator } from './rule.js';
import { describeThreshold, sideName } from './sentences.js';
import type { Evidence, SideEvidence, Verdict } from './verdict.js';

export interface JudgeFrame {
  unit: MetricUnit;
  /** How the window reads after "for"/"over": "2s", "the last 10 requests". */
  window: string;
  /** True for windows of time: a breach reads "for 2s"; otherwise "over the last 10 requests". */
  timed: boolean;
  sinceMs: number;
  untilMs: number;
  /** Requests (or samples) each side needs. */
  minSamples: number;
}

export function breaches(value: number, operator: Operator, threshold: number): boolean {
  switch (operator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/** The right side as a value: the quantity, or scale × the other metric + offset. */
export function thresholdValue(rule: AnalysisRule, right: SideEvidence | undefined): number | null {
  const { threshold } = rule;
  if (threshold.kind === 'quantity') return canonicalValue(threshold.quantity);
  if (!right || right.value === null) return null;
  return threshold.scale * right.value + (threshold.offset ? canonicalValue(threshold.offset) : 0);
}

export function judgeThreshold(
  rule: AnalysisRule,
  left: SideEvidence,
  right: SideEvidence | undefined,
  frame: JudgeFrame,
): Verdict {
  const limit = thresholdValue(rule, right);
  const evidence: Evidence = {
    rule: rule.text,
    judge: 'threshold',
    unit: frame.unit,
    left,
    ...(right ? { right } : {}),
    thresholdValue: limit,
    threshold: describeThreshold(rule, right, limit, frame.unit),
    window: frame.window,
    sinceMs: frame.sinceMs,
    untilMs: frame.untilMs,
  };
  const short = [left, right].find((side) => side && tooFew(side, frame.minSamples));
  if (short || left.value === null || limit === null) {
    return { outcome: 'inconclusive', evidence, explanation: tooLittle(short ?? left, frame) };
  }
  const shown = formatValue(left.value, frame.unit, left.metric);
  const failed = breaches(left.value, rule.operator, limit);
  const over = samplesPhrase([left, right]);
  if (failed) {
    const span = frame.timed ? `for ${frame.window}` : `over ${frame.window}`;
    return {
      outcome: 'fail',
      evidence,
      explanation: `${sideName(left)} was ${shown} ${rule.operator} ${evidence.threshold} ${span}${over}`,
    };
  }
  const span = frame.timed ? `in the last ${frame.window}` : `over ${frame.window}`;
  return {
    outcome: 'pass',
    evidence,
    explanation: `${sideName(left)} was ${shown}, not ${rule.operator} ${evidence.threshold}, ${span}${over}`,
  };
}

function tooFew(side: SideEvidence, minSamples: number): boolean {
  return side.value === null || (side.samples !== null && side.samples < minSamples);
}

function tooLittle(side: SideEvidence, frame: JudgeFrame): string {
  const span = frame.timed ? `in the last ${frame.window}` : `in ${frame.window}`;
  if (side.value === null || side.samples === null || side.samples === 0) {
    return `${sideName(side)}: no data ${span}; no verdict`;
  }
  return `${sideName(side)}: only ${formatCount(side.samples)} ${side.sampleWord} ${span}, ${formatCount(frame.minSamples)} needed for a verdict`;
}

/** " over 1,204 requests" or " over 3,120 and 28,400 requests". */
function samplesPhrase(sides: (SideEvidence | undefined)[]): string {
  const counted = sides.filter((side): side is SideEvidence => side !== undefined && side.samples !== null);
  if (counted.length === 0) return '';
  const word = counted[0]?.sampleWord ?? 'requests';
  return ` over ${counted.map((side) => formatCount(side.samples as number)).join(' and ')} ${word}`;
}
