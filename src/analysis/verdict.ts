// What a judge concludes about one rule, with the evidence a person needs to check it: the query, the values
// of each version, the threshold, the window and the sample sizes.

import type { MetricRole, MetricUnit } from '../metrics/metric-source.js';

export const OUTCOMES = ['pass', 'fail', 'inconclusive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One side of a rule (the metric on the left, or the metric it is compared with) as measured. */
export interface SideEvidence {
  metric: string;
  role: MetricRole;
  version: string;
  /** In the rule's unit (ratio, ms, bytes, number); null without data. */
  value: number | null;
  /** Requests (or points) behind the value. */
  samples: number | null;
  /** `requests` or `samples`, for sentences. */
  sampleWord: string;
  query: string;
  /** Sequential judges: the confidence bound the decision used. */
  bound?: number;
}

export interface SequentialStatistic {
  /** Which test: "error-rate proportion test", "error-ratio test", "Mann-Whitney", "quantile bounds". */
  test: string;
  /** log likelihood ratio (or margin) reached, and the level that decides. */
  logRatio?: number;
  limit?: number;
  falseRollbackRate: number;
}

export interface Evidence {
  rule: string;
  judge: 'threshold' | 'sequential';
  unit: MetricUnit;
  left: SideEvidence;
  right?: SideEvidence;
  /** The right side as a value, e.g. 0.05, or 1.2 × the stable's p95 + offset. */
  thresholdValue: number | null;
  /** The right side as written: "5%", "1.2 × p95_latency(stable)". */
  threshold: string;
  /** "2s", "the last 10 requests", "3 measurements in a row", "since 12:03:01". */
  window: string;
  sinceMs: number;
  untilMs: number;
  statistic?: SequentialStatistic;
}

export interface Verdict {
  outcome: Outcome;
  /** One sentence in plain words, with the numbers. */
  explanation: string;
  evidence: Evidence;
}
