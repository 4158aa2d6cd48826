// Evaluates one rule again and again (an analysis step, the automatic-rollback watcher): picks its judge,
// splits `(both)` into canary and stable, counts failing evaluations in a row for `for N samples`, and
// counts measurement errors in a row so that a broken source ends as inconclusive, never as a pass.

import type { EvaluationClock, EvaluationContext, RuleResult } from './evaluation.js';
import type { AnalysisRule } from './judged-rule.js';
import { SequentialEvaluation } from './sequential-evaluation.js';
import { evaluateThreshold } from './threshold-evaluation.js';
import type { Verdict } from './verdict.js';

export interface RuleOutcome {
  rule: AnalysisRule;
  verdict: Verdict;
  /** The measurement error of this evaluation, if any. */
  error?: string;
  /** Evaluations in a row that ended in a measurement error. */
  errorsInARow: number;
}

type Part = (clock: EvaluationClock, signal?: AbortSignal) => Promise<RuleResult>;

export class RuleEvaluator {
  private readonly parts: Part[];
  private failingInARow = 0;
  private errorsInARow = 0;

  constructor(
    readonly rule: AnalysisRule,
    context: EvaluationContext,
  ) {
    const roles =
      rule.metric.role === 'both' ? (['canary', 'stable'] as const) : ([rule.metric.role] as const);
    const judged = roles
      .filter((role) => role === 'canary' || context.versions.stable !== null || roles.length === 1)
      .map((role): AnalysisRule => ({ ...rule, metric: { ...rule.metric, role } }));
    this.parts = judged.map((part) => {
      if (part.judge === 'sequential') {
        const sequential = new SequentialEvaluation(part, context);
        return (clock, signal) => sequential.evaluate(clock, signal);
      }
      return (clock, signal) => evaluateThreshold(part, context, clock, signal);
    });
  }

  async evaluate(clock: EvaluationClock, signal?: AbortSignal): Promise<RuleOutcome> {
    const results = await Promise.all(this.parts.map((part) => part(clock, signal)));
    const error = results.find((result) => result.error)?.error;
    this.errorsInARow = error ? this.errorsInARow + 1 : 0;
    const verdict = this.streak(combined(results.map((result) => result.verdict)));
    return { rule: this.rule, verdict, ...(error ? { error } : {}), errorsInARow: this.errorsInARow };
  }

  /** `for N samples`: only N failing evaluations in a row fail the rule. */
  private streak(verdict: Verdict): Verdict {
    const window = this.rule.window;
    if (window.kind !== 'samples') return verdict;
    if (verdict.outcome === 'fail') this.failingInARow++;
    else if (verdict.outcome === 'pass') this.failingInARow = 0;
    const seen = `${this.failingInARow} of ${window.count} measurements in a row`;
    if (verdict.outcome === 'fail' && this.failingInARow < window.count) {
      return {
        ...verdict,
        outcome: 'pass',
        explanation: `${verdict.explanation} (${seen}; not yet failing)`,
      };
    }
    if (verdict.outcome === 'fail') {
      return {
        ...verdict,
        explanation: `${verdict.explanation} (${seen})`,
        evidence: { ...verdict.evidence, window: `${window.count} measurements in a row` },
      };
    }
    return verdict;
  }
}

/** `(both)`: failing on either version fails the rule; it passes only when both pass. */
function combined(verdicts: Verdict[]): Verdict {
  return (
    verdicts.find((v) => v.outcome === 'fail') ??
    verdicts.find((v) => v.outcome === 'inconclusive') ??
    (verdicts[0] as Verdict)
  );
}
