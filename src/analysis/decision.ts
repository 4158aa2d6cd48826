// From rule outcomes to decisions, and decisions to journal records. A failing rule decides its tier (warn,
// pause, rollback); a rule whose source failed `consecutiveErrorLimit` times in a row is inconclusive, which
// pauses for a person: analysis never passes, and never rolls back, on data it could not read.

import { formatCount } from './quantities.js';
import type { RuleOutcome } from './rule-evaluator.js';
import type { Evidence } from './verdict.js';

export const DECISION_TIERS = ['pass', 'warn', 'pause', 'reduce', 'rollback', 'inconclusive'] as const;
export type DecisionTier = (typeof DECISION_TIERS)[number];

export interface Decision {
  tier: DecisionTier;
  explanation: string;
  /** The rule that decided (none for a pass or inconclusive over several rules). */
  outcome?: RuleOutcome;
  /** Every rule's evidence behind a pass or an end-of-analysis verdict. */
  evidence: Evidence[];
}

// reduce pauses too, and also takes traffic away from the new version: more than a pause, less than a rollback.
const SEVERITY: Record<string, number> = { rollback: 3, reduce: 2.5, pause: 2, warn: 1 };

/** What the latest outcomes call for now: the most severe failing rule, or an exhausted source. */
export function immediateDecisions(outcomes: readonly RuleOutcome[], errorLimit: number): Decision[] {
  const decisions: Decision[] = [];
  const failing = outcomes
    .filter((o) => o.verdict.outcome === 'fail')
    .sort((a, b) => (SEVERITY[b.rule.tier] ?? 0) - (SEVERITY[a.rule.tier] ?? 0));
  for (const outcome of failing) {
    const tier = outcome.rule.tier;
    decisions.push({
      tier,
      explanation: withAction(outcome.verdict.explanation, tier),
      outcome,
      evidence: [outcome.verdict.evidence],
    });
  }
  for (const outcome of outcomes) {
    if (outcome.error && outcome.errorsInARow >= errorLimit) {
      const explanation = `${outcome.rule.text} could not be evaluated ${outcome.errorsInARow} times in a row (${outcome.error}); pausing for a person to decide`;
      decisions.push({ tier: 'inconclusive', explanation, outcome, evidence: [outcome.verdict.evidence] });
    }
  }
  return decisions;
}

/**
 * At the end of an analysis: pass when every blocking rule passed, otherwise inconclusive (a person decides).
 * A `warn` rule never blocks: it was notified when it failed, and a pass names it as a warning still open.
 */
export function finalDecision(outcomes: readonly RuleOutcome[], durationText: string): Decision {
  const evidence = outcomes.map((o) => o.verdict.evidence);
  const notPassed = outcomes.filter((o) => o.verdict.outcome !== 'pass');
  const open = notPassed.filter((o) => o.rule.tier !== 'warn');
  const warnings = notPassed.filter((o) => o.rule.tier === 'warn');
  if (outcomes.length === 0) return { tier: 'pass', explanation: 'no rules to judge', evidence };
  if (open.length === 0) {
    const passed = outcomes.filter((o) => o.verdict.outcome === 'pass');
    const parts = [
      `${formatCount(passed.length)} rule${passed.length === 1 ? '' : 's'} passed after ${durationText}`,
      ...(passed.length > 0 ? [`: ${passed.map((o) => o.verdict.explanation).join('; ')}`] : []),
      ...(warnings.length > 0
        ? [`; still warning: ${warnings.map((o) => o.verdict.explanation).join('; ')}`]
        : []),
    ];
    return { tier: 'pass', explanation: parts.join(''), evidence };
  }
  const explanation = `inconclusive after ${durationText}: ${open.map((o) => o.verdict.explanation).join('; ')}; pausing for a person to decide`;
  return { tier: 'inconclusive', explanation, evidence };
}

function withAction(explanation: string, tier: DecisionTier): string {
  if (tier === 'rollback') return `${explanation}; rolling back`;
  if (tier === 'pause') return `${explanation}; pausing for a person to decide`;
  if (tier === 'reduce') return `${explanation}; reducing the new version's traffic for a person to decide`;
  return explanation;
}

/** The `analysis.decision` event data: tier, explanation, and the evidence in named fields. */
export function decisionRecord(decision: Decision, origin: Record<string, unknown>): Record<string, unknown> {
  const main =
    decision.outcome?.verdict.evidence ?? (decision.evidence.length === 1 ? decision.evidence[0] : undefined);
  const sides = main ? [main.left, main.right].filter((s) => s !== undefined) : [];
  const byRole = (role: string) => {
    const side = sides.find((s) => s.role === role);
    return side
      ? {
          version: side.version,
          value: side.value,
          samples: side.samples,
          ...(side.bound !== undefined ? { bound: side.bound } : {}),
        }
      : undefined;
  };
  return {
    ...origin,
    tier: decision.tier,
    explanation: decision.explanation,
    ...(main
      ? {
          rule: main.rule,
          judge: main.judge,
          metric: main.left.metric,
          query: sides.map((s) => s.query),
          canary: byRole('canary'),
          stable: byRole('stable'),
          threshold: main.threshold,
          thresholdValue: main.thresholdValue,
          unit: main.unit,
          window: main.window,
          sinceMs: main.sinceMs,
          untilMs: main.untilMs,
          samples: Object.fromEntries(sides.map((s) => [s.role, s.samples])),
          ...(main.statistic ? { statistic: main.statistic } : {}),
        }
      : {}),
    ...(decision.evidence.length > 1 ? { rules: decision.evidence } : {}),
  };
}

/** The `analysis.measurement` event data for one rule's latest outcome: the dashboard plots `value`. */
export function measurementRecord(
  outcome: RuleOutcome,
  origin: Record<string, unknown>,
): Record<string, unknown> {
  const { evidence, outcome: verdict, explanation } = outcome.verdict;
  return {
    ...origin,
    rule: outcome.rule.text,
    metric: evidence.left.metric,
    role: evidence.left.role,
    version: evidence.left.version,
    value: evidence.left.value,
    unit: evidence.unit,
    samples: evidence.left.samples,
    ...(evidence.right
      ? {
          against: {
            version: evidence.right.version,
            value: evidence.right.value,
            samples: evidence.right.samples,
          },
        }
      : {}),
    window: evidence.window,
    verdict,
    ...(outcome.error ? { error: outcome.error } : {}),
    summary: `${explanation} [${verdict}]`,
  };
}
