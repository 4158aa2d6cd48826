// What a rule is evaluated against: the time, since when the new version has been observed, the versions
// the roles stand for, and where each metric comes from.

import type { MetricSources } from '../metrics/metric-sources.js';
import type { Verdict } from './verdict.js';

export interface Versions {
  /** The deployment's version. */
  canary: string;
  /** The version it replaces; null on a first deployment. */
  stable: string | null;
}

export interface EvaluationClock {
  nowMs: number;
  /** When the new version took traffic (or the analysis started): windows may not reach back before it. */
  observedSinceMs: number;
  /** Time between evaluations: rules without a window look back this far (at least a second). */
  intervalMs: number;
}

export interface EvaluationContext {
  sources: MetricSources;
  versions: Versions;
}

/** A verdict, and the measurement error behind it when the source failed or had no data. */
export interface RuleResult {
  verdict: Verdict;
  error?: string;
}
