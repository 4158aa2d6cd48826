// Replays a plan's analysis against history: steps a clock from `from` to `to`, evaluating the analysis
// rules and the automatic rollback rules at each tick as if the new version had taken traffic at `from`,
// with the same judges and explanations as a live deployment. It reports when the rollout would have
// warned, paused or rolled back, and whether it would have been promoted at the end.

import type { MetricSources } from '../metrics/metric-sources.js';
import { type DecisionTier, finalDecision, immediateDecisions } from './decision.js';
import type { Versions } from './evaluation.js';
import type { AnalysisRule } from './judged-rule.js';
import { RuleEvaluator, type RuleOutcome } from './rule-evaluator.js';

export interface ReplayOptions {
  analysisRules: readonly AnalysisRule[];
  automaticRules: readonly AnalysisRule[];
  sources: MetricSources;
  versions: Versions;
  fromMs: number;
  toMs: number;
  everyMs: number;
  consecutiveErrorLimit: number;
}

export interface ReplayedDecision {
  atMs: number;
  tier: DecisionTier;
  /** `analysis` or `rollback.automatic`. */
  section: string;
  rule?: string;
  explanation: string;
}

export interface ReplayReport {
  decisions: ReplayedDecision[];
  /** What the rollout would have done: rolled back, paused, been promoted, or stopped inconclusive. */
  outcome: 'rollback' | 'pause' | 'promote' | 'inconclusive';
  /** When the outcome happened (the end of the period for promote and inconclusive). */
  atMs: number;
  evaluations: number;
}

export async function replay(options: ReplayOptions, signal?: AbortSignal): Promise<ReplayReport> {
  const context = { sources: options.sources, versions: options.versions };
  const groups = [
    {
      section: 'analysis',
      evaluators: options.analysisRules.map((rule) => new RuleEvaluator(rule, context)),
    },
    {
      section: 'rollback.automatic',
      evaluators: options.automaticRules.map((rule) => new RuleEvaluator(rule, context)),
    },
  ];
  const decisions: ReplayedDecision[] = [];
  const seen = new Set<string>();
  let lastAnalysis: RuleOutcome[] = [];
  let evaluations = 0;
  for (let atMs = options.fromMs + options.everyMs; atMs <= options.toMs; atMs += options.everyMs) {
    const clock = { nowMs: atMs, observedSinceMs: options.fromMs, intervalMs: options.everyMs };
    for (const group of groups) {
      const outcomes = await Promise.all(group.evaluators.map((e) => e.evaluate(clock, signal)));
      evaluations += outcomes.length;
      if (group.section === 'analysis') lastAnalysis = outcomes;
      for (const decision of immediateDecisions(outcomes, options.consecutiveErrorLimit)) {
        const rule = decision.outcome?.rule.text;
        const key = `${group.section}\u0000${rule}\u0000${decision.tier}`;
        if (seen.has(key)) continue;
        seen.add(key);
        decisions.push({
          atMs,
          tier: decision.tier,
          section: group.section,
          ...(rule ? { rule } : {}),
          explanation: decision.explanation,
        });
        if (decision.tier === 'rollback') return { decisions, outcome: 'rollback', atMs, evaluations };
        if (decision.tier === 'pause' || decision.tier === 'inconclusive') {
          return {
            decisions,
            outcome: decision.tier === 'pause' ? 'pause' : 'inconclusive',
            atMs,
            evaluations,
          };
        }
      }
    }
  }
  const final = finalDecision(lastAnalysis, 'the period');
  decisions.push({
    atMs: options.toMs,
    tier: final.tier,
    section: 'analysis',
    explanation: final.explanation,
  });
  return {
    decisions,
    outcome: final.tier === 'pass' ? 'promote' : 'inconclusive',
    atMs: options.toMs,
    evaluations,
  };
}
