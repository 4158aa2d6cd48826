// The sequential judge for latencies, on every request since the version took traffic:
// - `p95_latency > 500ms` and `p95_latency(canary) > 1.2 × p95_latency(stable)`: always-valid confidence
//   bounds of the quantiles (half the false-rollback rate for each version when two are compared);
// - `latency(canary) > latency(stable)`: the Mann-Whitney comparison of the whole distributions, with a
//   normal-mixture boundary so it may be looked at after every batch.
// It passes only when the opposite conclusion is as certain, and needs `minSamples` requests on each side.

import type { AnalysisRule } from './judged-rule.js';
import { quantileLowerBound, quantileUpperBound, sampleQuantile } from './quantile-bounds.js';
import { canonicalValue, formatCount, formatValue } from './quantities.js';
import { compareRanks } from './rank-test.js';
import { describeThreshold, sideName } from './sentences.js';
import type { JudgeFrame } from './threshold-judge.js';
import type { Evidence, SequentialStatistic, SideEvidence, Verdict } from './verdict.js';

export interface LatencyData {
  left: SideEvidence & { sorted: ArrayLike<number> };
  right?: SideEvidence & { sorted: ArrayLike<number> };
}

const QUANTILE_OF: Record<string, number> = { p50_latency: 0.5, p95_latency: 0.95, p99_latency: 0.99 };

export function judgeSequentialLatency(rule: AnalysisRule, data: LatencyData, frame: JudgeFrame): Verdict {
  const alpha = rule.falseRollbackRate;
  const up = rule.operator === '>' || rule.operator === '>=';
  const q = QUANTILE_OF[rule.metric.metric];
  const { outcome, statistic, limit } =
    q === undefined ? byRanks(rule, data, alpha, up) : byQuantiles(rule, data, q, alpha, up);
  const evidence: Evidence = {
    rule: rule.text,
    judge: 'sequential',
    unit: 'ms',
    left: strip(data.left),
    ...(data.right ? { right: strip(data.right) } : {}),
    thresholdValue: limit,
    threshold: describeThreshold(rule, data.right && strip(data.right), null, 'ms'),
    window: frame.window,
    sinceMs: frame.sinceMs,
    untilMs: frame.untilMs,
    statistic,
  };
  const short = [data.left, data.right].find((side) => side && side.sorted.length < frame.minSamples);
  if (short) {
    const explanation = `${sideName(short)}: only ${formatCount(short.sorted.length)} requests ${frame.window}, ${formatCount(frame.minSamples)} needed before the sequential test may decide`;
    return { outcome: 'inconclusive', evidence, explanation };
  }
  const values = valuesPhrase(evidence, q);
  const rate = formatValue(alpha, 'ratio');
  if (outcome === 'inconclusive') {
    const explanation = `${sideName(data.left)}: ${values} ${frame.window} is not conclusive against ${evidence.threshold} yet at a ${rate} false-rollback rate`;
    return { outcome, evidence, explanation };
  }
  const which = (outcome === 'fail') === up ? 'above' : 'below';
  const explanation = `${sideName(data.left)} is ${which} ${evidence.threshold} with ${formatValue(1 - alpha, 'ratio')} confidence: ${values} ${frame.window} (sequential ${statistic.test}, false-rollback rate ${rate})`;
  return { outcome, evidence, explanation };
}

type Conclusion = { outcome: Verdict['outcome']; statistic: SequentialStatistic; limit: number | null };

function byQuantiles(
  rule: AnalysisRule,
  data: LatencyData,
  q: number,
  alpha: number,
  up: boolean,
): Conclusion {
  const { threshold } = rule;
  const statistic: SequentialStatistic = { test: 'quantile bounds', falseRollbackRate: alpha };
  const { left, right } = data;
  left.value = sampleQuantile(left.sorted, q);
  if (threshold.kind === 'quantity') {
    const limit = canonicalValue(threshold.quantity);
    const low = quantileLowerBound(left.sorted, q, alpha);
    const high = quantileUpperBound(left.sorted, q, alpha);
    left.bound = up ? low : high;
    const fail = up ? low > limit : high < limit;
    const pass = up ? high <= limit : low >= limit;
    return { outcome: fail ? 'fail' : pass ? 'pass' : 'inconclusive', statistic, limit };
  }
  if (!right) return { outcome: 'inconclusive', statistic, limit: null };
  right.value = sampleQuantile(right.sorted, q);
  const half = alpha / 2;
  const at = (value: number) =>
    threshold.scale * value + (threshold.offset ? canonicalValue(threshold.offset) : 0);
  const l = { low: quantileLowerBound(left.sorted, q, half), high: quantileUpperBound(left.sorted, q, half) };
  const r = {
    low: quantileLowerBound(right.sorted, q, half),
    high: quantileUpperBound(right.sorted, q, half),
  };
  left.bound = up ? l.low : l.high;
  right.bound = up ? r.high : r.low;
  const fail = up ? l.low > at(r.high) : l.high < at(r.low);
  const pass = up ? l.high <= at(r.low) : l.low >= at(r.high);
  const limit = right.value === null ? null : at(right.value);
  return { outcome: fail ? 'fail' : pass ? 'pass' : 'inconclusive', statistic, limit };
}

function byRanks(rule: AnalysisRule, data: LatencyData, alpha: number, up: boolean): Conclusion {
  const statistic: SequentialStatistic = { test: 'Mann-Whitney test', falseRollbackRate: alpha };
  const { left, right } = data;
  left.value = sampleQuantile(left.sorted, 0.5);
  if (rule.threshold.kind !== 'metric' || !right) return { outcome: 'inconclusive', statistic, limit: null };
  right.value = sampleQuantile(right.sorted, 0.5);
  const offset = rule.threshold.offset ? canonicalValue(rule.threshold.offset) : 0;
  const ranks = compareRanks(left.sorted, right.sorted, rule.threshold.scale, offset);
  const limit = Math.log(1 / alpha);
  statistic.logRatio = Math.round(ranks.logRatio * 1000) / 1000;
  statistic.limit = Math.round(limit * 1000) / 1000;
  const slower = `P(slower) ${formatValue(0.5 + ranks.theta, 'ratio')}`;
  statistic.test = `Mann-Whitney test, ${slower}`;
  const conclusive = ranks.logRatio >= limit;
  const towardsFail = up ? ranks.theta > 0 : ranks.theta < 0;
  const outcome = !conclusive ? 'inconclusive' : towardsFail ? 'fail' : 'pass';
  return { outcome, statistic, limit: null };
}

function strip(side: SideEvidence & { sorted: ArrayLike<number> }): SideEvidence {
  const { sorted: _sorted, ...rest } = side;
  return rest;
}

/** "p95 612ms over 1,010 requests against 410ms over 9,020 of v2". */
function valuesPhrase(evidence: Evidence, q: number | undefined): string {
  const label = q === undefined ? 'median' : `p${Math.round(q * 100)}`;
  const one = (side: SideEvidence) =>
    `${side.value === null ? 'no data' : formatValue(side.value, 'ms')} over ${formatCount(side.samples ?? 0)} requests`;
  const right = evidence.right ? ` against ${one(evidence.right)} of ${evidence.right.version}` : '';
  return `${label} ${one(evidence.left)}${right}`;
}
