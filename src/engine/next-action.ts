// What the run loop does next, decided from the folded state and the expanded plan alone (pure).

import type { DeploymentState } from '../deployment/state.js';
import { abortCommand, commandsSince, isPaused, type StepProgress } from '../deployment/state.js';
import type { Status } from '../deployment/status.js';
import { isTerminal } from '../deployment/status.js';
import type { ExpandedPlan, PlannedStep } from '../plan/planned-step.js';
import { isGate } from '../plan/planned-step.js';

export type NextAction =
  | { kind: 'done' }
  | { kind: 'run-step'; step: PlannedStep; retryAt?: Date }
  | { kind: 'skip-step'; step: PlannedStep; by: string }
  | {
      kind: 'start-rollback';
      reason: string;
      trigger: 'step_failed' | 'abort' | 'rule' | 'operator';
      endStatus: 'rolled_back' | 'aborted';
      by?: string;
    }
  | { kind: 'finish'; status: Status; reason: string }
  | { kind: 'wait-operator'; status: 'paused' | 'interrupted'; reason: string };

export function nextAction(state: DeploymentState, plan: ExpandedPlan): NextAction {
  if (isTerminal(state.status)) return { kind: 'done' };
  if (state.track === 'main') {
    const stop = stopRequest(state, plan);
    if (stop) return stop;
  }
  if (state.status === 'interrupted') return answerToInterruption(state, plan);
  if (state.track === 'main' && isPaused(state)) {
    return {
      kind: 'wait-operator',
      status: 'paused',
      reason: state.pauseRequest?.reason ?? 'paused by an operator',
    };
  }
  return state.track === 'main' ? nextOnMain(state, plan) : nextOnRollback(state, plan);
}

/** An abort or a rule's rollback request; before anything changed, an abort simply ends the deployment. */
function stopRequest(state: DeploymentState, plan: ExpandedPlan): NextAction | undefined {
  const abort = abortCommand(state);
  if (abort) {
    const reason = `aborted by ${abort.by}${abort.reason ? `: ${abort.reason}` : ''}`;
    if (!changedAnything(state, plan))
      return { kind: 'finish', status: 'aborted', reason: `${reason} (nothing had changed)` };
    return { kind: 'start-rollback', reason, trigger: 'abort', endStatus: 'aborted', by: abort.by };
  }
  if (state.rollbackRequest) {
    return {
      kind: 'start-rollback',
      reason: state.rollbackRequest.reason,
      trigger: state.rollbackRequest.trigger,
      endStatus: 'rolled_back',
    };
  }
  return undefined;
}

function nextOnMain(state: DeploymentState, plan: ExpandedPlan): NextAction {
  const step = plan.main[state.next.main];
  if (!step) return { kind: 'finish', status: 'succeeded', reason: 'every step succeeded' };
  const progress = state.steps[step.id];
  if (progress?.outcome === 'failed') return afterFailure(state, plan, step);
  if (progress?.outcome === 'interrupted') return afterInterruption(state, step, progress);
  // A skippable step still open after `promote --full` (waiting for a retry, or cut off by a crash) is skipped.
  const full = fullPromotion(state);
  if (full && step.skippedOnFullPromotion && progress?.outcome === undefined)
    return { kind: 'skip-step', step, by: full.by };
  return { kind: 'run-step', step, retryAt: progress?.retryAt ? new Date(progress.retryAt) : undefined };
}

/** `gantry promote --full`: the strategy's remaining checks and lower weights are skipped. */
export function fullPromotion(state: DeploymentState): { by: string } | undefined {
  return state.commands.find((command) => command.command === 'promote' && command.full);
}

function afterFailure(state: DeploymentState, plan: ExpandedPlan, step: PlannedStep): NextAction {
  const error = state.steps[step.id]?.error?.message ?? 'failed';
  const reason = `step ${step.id} (${step.name}) failed: ${error}`;
  if (!changedAnything(state, plan)) return { kind: 'finish', status: 'failed', reason };
  return { kind: 'start-rollback', reason, trigger: 'step_failed', endStatus: 'rolled_back' };
}

function nextOnRollback(state: DeploymentState, plan: ExpandedPlan): NextAction {
  const step = plan.rollback[state.next.rollback];
  if (step) {
    const progress = state.steps[step.id];
    if (progress?.outcome === 'interrupted') return afterInterruption(state, step, progress);
    return { kind: 'run-step', step, retryAt: progress?.retryAt ? new Date(progress.retryAt) : undefined };
  }
  const rollback = state.rollback;
  if (state.rollbackFailures > 0) {
    return {
      kind: 'finish',
      status: 'failed',
      reason: `${rollback?.reason ?? 'rolled back'}; ${state.rollbackFailures} rollback step(s) failed`,
    };
  }
  return {
    kind: 'finish',
    status: rollback?.endStatus ?? 'rolled_back',
    reason: rollback?.reason ?? 'rolled back',
  };
}

function answerToInterruption(state: DeploymentState, plan: ExpandedPlan): NextAction {
  const step =
    state.current && (state.current.track === 'main' ? plan.main : plan.rollback)[state.current.index];
  const answer = commandsSince(state, state.statusSinceEvent).find(
    (c) => c.command === 'retry' || c.command === 'skip',
  );
  if (step && answer?.command === 'retry') return { kind: 'run-step', step };
  if (step && answer?.command === 'skip') return { kind: 'skip-step', step, by: answer.by };
  return { kind: 'wait-operator', status: 'interrupted', reason: state.statusReason };
}

/**
 * A step marked interrupted runs again only on an operator's retry, and is passed over only on a skip, given
 * after its last start, whatever the status says: an engine that died between writing the interruption (or
 * the answer) and the status must not leave the step to be run again unasked by the next one.
 */
function afterInterruption(state: DeploymentState, step: PlannedStep, progress: StepProgress): NextAction {
  const answer = commandsSince(state, progress.startedAtEvent).find(
    (c) => c.command === 'retry' || c.command === 'skip',
  );
  if (answer?.command === 'retry') return { kind: 'run-step', step };
  if (answer?.command === 'skip') return { kind: 'skip-step', step, by: answer.by };
  return {
    kind: 'wait-operator',
    status: 'interrupted',
    reason: `${step.id} (${step.name}) was interrupted and waits for an operator: \`gantry resume ${state.id} --retry\` or \`--skip\``,
  };
}

/** Whether any step past the gates has started: only then is there something to roll back. */
export function changedAnything(state: DeploymentState, plan: ExpandedPlan): boolean {
  return plan.main.some((step) => !isGate(step.section) && state.steps[step.id] !== undefined);
}
