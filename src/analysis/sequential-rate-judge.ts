// The sequential judge for error rates. It reads every request since the version took traffic and decides as
// soon as a test that may be looked at any number of times is conclusive at the rule's false-rollback rate:
// - `error_rate > 5%`: a proportion test of the canary's errors against 5%;
// - `error_rate(canary) > 2 × error_rate(stable)`: the error-ratio test (which version each error came from),
//   blind to incidents that hit both versions alike;
// - with an offset (`… + 1%`): confidence bounds of both versions at half the rate each.
// It passes only when the opposite test is conclusive, and needs `minSamples` requests on each side.

import type { AnalysisRule } from './judged-rule.js';
import { logMixtureRatio, lowerBound, upperBound } from './mixture-test.js';
import { canonicalValue, formatCount, formatValue } from './quantities.js';
import { logRatioTest, type PairedCounts } from './ratio-test.js';
import { describeThreshold, sideName } from './sentences.js';
import type { JudgeFrame } from './threshold-judge.js';
import type { Evidence, SideEvidence, Verdict } from './verdict.js';

export interface RateData {
  left: SideEvidence & { errors: number };
  right?: SideEvidence & { errors: number };
  /** The same requests per bucket of time, for the ratio test; left is the canary side. */
  buckets?: readonly PairedCounts[];
}

type Conclusion = {
  outcome: 'fail' | 'pass' | 'inconclusive';
  logRatio?: number;
  limit: number;
  test: string;
};

export function judgeSequentialRate(rule: AnalysisRule, data: RateData, frame: JudgeFrame): Verdict {
  const alpha = rule.falseRollbackRate;
  const up = rule.operator === '>' || rule.operator === '>=';
  const conclusion = conclude(rule, data, alpha, up);
  const evidence: Evidence = {
    rule: rule.text,
    judge: 'sequential',
    unit: 'ratio',
    left: data.left,
    ...(data.right ? { right: data.right } : {}),
    thresholdValue: rule.threshold.kind === 'quantity' ? canonicalValue(rule.threshold.quantity) : null,
    threshold: describeThreshold(rule, data.right, null, 'ratio'),
    window: frame.window,
    sinceMs: frame.sinceMs,
    untilMs: frame.untilMs,
    statistic: {
      test: conclusion.test,
      ...(conclusion.logRatio !== undefined ? { logRatio: round(conclusion.logRatio) } : {}),
      limit: round(conclusion.limit),
      falseRollbackRate: alpha,
    },
  };
  const short = [data.left, data.right].find((side) => side && (side.samples ?? 0) < frame.minSamples);
  if (short) {
    const explanation = `${sideName(short)}: only ${formatCount(short.samples ?? 0)} requests ${frame.window}, ${formatCount(frame.minSamples)} needed before the sequential test may decide`;
    return { outcome: 'inconclusive', evidence, explanation };
  }
  const counts = countsPhrase(data);
  const confidence = `${formatValue(1 - alpha, 'ratio')} confidence`;
  const which = (fail: boolean) => (fail === up ? 'above' : 'below');
  const tail = `${frame.window} (sequential ${conclusion.test}, false-rollback rate ${formatValue(alpha, 'ratio')})`;
  if (conclusion.outcome === 'inconclusive') {
    const explanation = `${sideName(data.left)}: ${counts} ${frame.window} is not conclusive against ${evidence.threshold} yet at a ${formatValue(alpha, 'ratio')} false-rollback rate`;
    return { outcome: 'inconclusive', evidence, explanation };
  }
  const fail = conclusion.outcome === 'fail';
  const explanation = `${sideName(data.left)} is ${which(fail)} ${evidence.threshold} with ${confidence}: ${counts} ${tail}`;
  return { outcome: conclusion.outcome, evidence, explanation };
}

function conclude(rule: AnalysisRule, data: RateData, alpha: number, up: boolean): Conclusion {
  const { threshold } = rule;
  const limit = Math.log(1 / alpha);
  const left = data.left;
  const n = left.samples ?? 0;
  if (threshold.kind === 'quantity') {
    const p0 = canonicalValue(threshold.quantity);
    const failing = logMixtureRatio(n, left.errors, p0, up ? 'above' : 'below');
    const passing = logMixtureRatio(n, left.errors, p0, up ? 'below' : 'above');
    left.bound = up ? lowerBound(n, left.errors, alpha) : upperBound(n, left.errors, alpha);
    return decide(failing, passing, limit, 'proportion test');
  }
  const offset = threshold.offset ? canonicalValue(threshold.offset) : 0;
  if (offset === 0 && data.buckets && threshold.scale > 0) {
    const failing = logRatioTest(data.buckets, threshold.scale, up ? 'above' : 'below');
    const passing = logRatioTest(data.buckets, threshold.scale, up ? 'below' : 'above');
    return decide(failing, passing, limit, 'error-ratio test');
  }
  return boundsConclusion(rule, data, alpha, up, offset);
}

/** Offsets: both versions' confidence bounds at α/2 each, compared through the rule's right side. */
function boundsConclusion(
  rule: AnalysisRule,
  data: RateData,
  alpha: number,
  up: boolean,
  offset: number,
): Conclusion {
  const { left, right } = data;
  const scale = rule.threshold.kind === 'metric' ? rule.threshold.scale : 1;
  const half = alpha / 2;
  const bounds = (side: SideEvidence & { errors: number }) => ({
    low: lowerBound(side.samples ?? 0, side.errors, half),
    high: upperBound(side.samples ?? 0, side.errors, half),
  });
  const l = bounds(left);
  const r = right ? bounds(right) : { low: 0, high: 1 };
  const failing = up ? l.low > scale * r.high + offset : l.high < scale * r.low + offset;
  const passing = up ? l.high <= scale * r.low + offset : l.low >= scale * r.high + offset;
  left.bound = up ? l.low : l.high;
  if (right) right.bound = up ? r.high : r.low;
  const outcome = failing ? 'fail' : passing ? 'pass' : 'inconclusive';
  return { outcome, limit: Math.log(1 / alpha), test: 'confidence bounds' };
}

function decide(failing: number, passing: number, limit: number, test: string): Conclusion {
  if (failing >= limit) return { outcome: 'fail', logRatio: failing, limit, test };
  if (passing >= limit) return { outcome: 'pass', logRatio: passing, limit, test };
  return { outcome: 'inconclusive', logRatio: Math.max(failing, passing), limit, test };
}

/** "48 errors in 1,010 requests (4.8%) against 9 in 9,020 (0.1%)". */
function countsPhrase(data: RateData): string {
  const one = (side: SideEvidence & { errors: number }, first: boolean) => {
    const n = side.samples ?? 0;
    const rate = n > 0 ? formatValue(side.errors / n, 'ratio') : 'no data';
    return first
      ? `${formatCount(side.errors)} errors in ${formatCount(n)} requests (${rate})`
      : `${formatCount(side.errors)} in ${formatCount(n)} of ${side.version} (${rate})`;
  };
  return data.right ? `${one(data.left, true)} against ${one(data.right, false)}` : one(data.left, true);
}

function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : value;
}
