// `analysis`: judges the new version by the step's rules (or the plan's analysis rules) every interval for
// its duration. A failing rule decides its tier at once: rollback (the run rolls back), pause (the run waits
// for a person), reduce (the new version's traffic goes down to `reduceTo` and the step waits for a person,
// see analysis-reduce.ts), warn (notified, the analysis goes on). At the end every rule but the warn ones must
// pass; one still short of data, or whose source kept failing, is inconclusive and pauses for a person.

import {
  type Decision,
  decisionRecord,
  finalDecision,
  immediateDecisions,
  measurementRecord,
} from '../analysis/decision.js';
import type { EvaluationClock } from '../analysis/evaluation.js';
import type { AnalysisRule } from '../analysis/judged-rule.js';
import { RuleEvaluator, type RuleOutcome } from '../analysis/rule-evaluator.js';
import { EVENT } from '../deployment/events.js';
import type { AnalysisStep } from '../plan/schema/steps.js';
import { formatDuration } from '../units/duration.js';
import { evaluationContext, observedSince } from './analysis-context.js';
import { answerTo, openReduction, type ReductionAnswer, reduceTraffic } from './analysis-reduce.js';
import { failure, type StepContext, type StepHandler, type StepResult } from './step.js';

/** How a judged phase ended: with the step's result, or with a `reduce` decision to act on. */
type PhaseEnd = { result: StepResult } | { reduce: Decision };

export const analysisHandler: StepHandler<AnalysisStep> = {
  kind: 'analysis',
  idempotent: () => true,
  async run(context, spec) {
    // A phase starts with the step, and again each time a person resumes it after a reduction.
    let phaseStartMs: number | undefined;
    const open = openReduction(context);
    if (open) {
      const answer = await answerTo(context, open);
      if (answer.command === 'promote') return promoted(answer);
      phaseStartMs = answer.atMs;
    }
    for (;;) {
      const end = await judgePhase(context, spec, phaseStartMs);
      if ('result' in end) return end.result;
      const reduction = await reduceTraffic(context, end.reduce, spec.analysis.reduceTo ?? 0);
      const answer = await answerTo(context, reduction);
      if (answer.command === 'promote') return promoted(answer);
      phaseStartMs = answer.atMs;
    }
  },
};

async function judgePhase(
  context: StepContext,
  spec: AnalysisStep,
  resumedAtMs: number | undefined,
): Promise<PhaseEnd> {
  const { plan } = context;
  const rules: AnalysisRule[] = spec.analysis.rules ?? plan.analysis.rules;
  const durationMs = spec.analysis.duration;
  const startMs = resumedAtMs ?? context.firstStartedAt.getTime();
  const deadline = startMs + durationMs;
  const evalContext = evaluationContext(context.deployment, context.services.metrics, context.step.id);
  const evaluators = rules.map((rule) => new RuleEvaluator(rule, evalContext));
  const intervalMs = spec.analysis.interval ?? plan.analysis.interval;
  const warned = new Set<string>();
  let outcomes: RuleOutcome[] = [];
  for (;;) {
    const nowMs = Date.now();
    const observed = observedSince(context.state(), startMs);
    const clock: EvaluationClock = {
      nowMs,
      // A resumed phase judges only what happened since the person resumed it.
      observedSinceMs: resumedAtMs === undefined ? observed : Math.max(observed, resumedAtMs),
      intervalMs,
    };
    outcomes = await Promise.all(evaluators.map((evaluator) => evaluator.evaluate(clock, context.signal)));
    for (const outcome of outcomes)
      await context.record(EVENT.measurement, measurementRecord(outcome, { source: 'analysis' }));
    const decisions = immediateDecisions(outcomes, plan.analysis.consecutiveErrorLimit);
    const stop = await act(context, spec, decisions, warned);
    if (stop) return stop;
    if (nowMs >= deadline) break;
    await context.sleepUntil(new Date(Math.min(nowMs + intervalMs, deadline)));
  }
  const final = finalDecision(outcomes, formatDuration(durationMs));
  await recordDecision(context, final);
  return { result: { ok: true, result: { verdict: final.tier } } };
}

/** Records what the outcomes call for; returns how the phase ends when it stops here. */
async function act(
  context: StepContext,
  spec: AnalysisStep,
  decisions: Decision[],
  warned: Set<string>,
): Promise<PhaseEnd | undefined> {
  for (const decision of decisions.filter((d) => d.tier === 'warn')) {
    const text = decision.outcome?.rule.text ?? '';
    if (warned.has(text)) continue;
    warned.add(text);
    await recordDecision(context, decision);
  }
  const stopping = decisions.find((d) => d.tier !== 'warn' && d.tier !== 'pass');
  if (!stopping) return undefined;
  if (stopping.tier === 'reduce' && spec.analysis.reduceTo !== undefined) return { reduce: stopping };
  // A reduce rule on a step without reduceTo (validation refuses it) pauses, as the safe reading.
  const tier = stopping.tier === 'reduce' ? 'pause' : stopping.tier;
  await recordDecision(context, { ...stopping, tier });
  if (tier === 'rollback')
    return { result: failure('GANTRY_ANALYSIS_FAILED', stopping.explanation, { verdict: 'rollback' }) };
  return { result: { ok: true, result: { verdict: tier } } };
}

function promoted(answer: ReductionAnswer): StepResult {
  return { ok: true, result: { verdict: 'promoted', by: answer.by } };
}

function recordDecision(context: StepContext, decision: Decision): Promise<void> {
  return context.record(EVENT.decision, decisionRecord(decision, { source: 'analysis' }));
}
