// A rule as a plan gives it to analysis: the parsed rule plus how it is judged. `threshold` compares the
// measured value with the rule's right side over its window; `sequential` accumulates every request since
// the version took traffic and acts only when a statistical test is conclusive at the chosen error rate.

import type { Rule } from './rule.js';

export const JUDGES = ['threshold', 'sequential'] as const;
export type JudgeKind = (typeof JUDGES)[number];

/** One in a thousand analyses of a canary exactly at the threshold may roll it back by chance. */
export const DEFAULT_FALSE_ROLLBACK_RATE = 0.001;

export interface AnalysisRule extends Rule {
  judge: JudgeKind;
  /** Sequential judges: the highest chance, over the whole analysis, of acting on a version that is fine. */
  falseRollbackRate: number;
  /** Requests (or samples) each version needs before a verdict; the judge's default when absent. */
  minSamples?: number;
  /** Written as an object: the rule text is under its `rule` key (for pointing at errors in it). */
  textAt?: 'rule';
}

/** A rule string in a plan, judged by the threshold judge with the defaults. */
export function withDefaults(rule: Rule): AnalysisRule {
  return { ...rule, judge: 'threshold', falseRollbackRate: DEFAULT_FALSE_ROLLBACK_RATE };
}
