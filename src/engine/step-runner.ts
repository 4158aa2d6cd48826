// Runs one step: journals its start (durably, before touching the world), runs its handler with a
// context, and journals the outcome, scheduling a retry when the step's policy allows one.

import { EVENT } from '../deployment/events.js';
import { toError } from '../errors.js';
import type { PlannedStep } from '../plan/planned-step.js';
import type { StepHandler, StepResult } from '../steps/step.js';
import { FullyPromoted } from './errors.js';
import { interruptStep } from './interrupt.js';
import { type DeploymentRun, ref } from './run.js';
import { stepContext } from './step-context.js';

export async function runStep(
  run: DeploymentRun,
  step: PlannedStep,
  handler: StepHandler | undefined,
  signal: AbortSignal,
): Promise<void> {
  const writer = run.options.writer;
  const attempt = (run.state.steps[step.id]?.attempts ?? 0) + 1;
  const startRecorded = writer.append({
    type: EVENT.stepStarted,
    data: { ...ref(step), kind: step.kind, name: step.name, attempt },
  });
  // A step that is not safe to repeat starts only once its start is durable: after a crash, the journal
  // then shows it may have run. An idempotent step starts at once; its start commits in order before its
  // outcome (the journal keeps append order), and a crash in between only means it runs again.
  if (!handler?.idempotent(step.spec)) await startRecorded;
  else startRecorded.catch(() => undefined);
  const started = performance.now();
  const result = handler ? await runHandler(run, step, handler, signal, attempt) : unknownKind(step);
  await startRecorded;
  const durationMs = Math.round(performance.now() - started);
  if (signal.reason instanceof FullyPromoted) {
    await writer.append({
      type: EVENT.stepSkipped,
      data: { ...ref(step), durationMs },
      actor: signal.reason.by,
    });
    return;
  }
  if (!result.ok && result.needsOperator) {
    const reason = result.error.message;
    await interruptStep(
      run,
      ref(step),
      { step: reason, status: reason },
      { needsOperator: true, result: result.result },
    );
    return;
  }
  if (result.ok) {
    await writer.append({
      type: EVENT.stepSucceeded,
      data: { ...ref(step), durationMs, result: result.result },
    });
    return;
  }
  const retryAt = signal.aborted ? undefined : nextRetry(handler, step, attempt);
  await writer.append({
    type: EVENT.stepFailed,
    data: {
      ...ref(step),
      durationMs,
      error: result.error,
      result: result.result,
      retryAt: retryAt?.toISOString(),
    },
  });
}

async function runHandler(
  run: DeploymentRun,
  step: PlannedStep,
  handler: StepHandler,
  signal: AbortSignal,
  attempt: number,
): Promise<StepResult> {
  try {
    return await handler.run(stepContext(run, step, signal, attempt), step.spec);
  } catch (thrown) {
    if (run.signal.aborted) throw run.signal.reason;
    const error = toError(thrown);
    if (signal.aborted)
      return { ok: false, error: { code: 'GANTRY_ABORTED', message: `stopped: ${stopReason(run)}` } };
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      error: {
        code: typeof code === 'string' ? code : 'GANTRY_INTERNAL',
        message: run.options.runtime.redactor.text(error.message),
      },
    };
  }
}

function stopReason(run: DeploymentRun): string {
  const state = run.state;
  const abort = state.commands.find((command) => command.command === 'abort');
  if (abort) return `aborted by ${abort.by}`;
  return state.rollbackRequest?.reason ?? 'the deployment was stopped';
}

function nextRetry(handler: StepHandler | undefined, step: PlannedStep, attempt: number): Date | undefined {
  const policy = handler?.retryPolicy?.(step.spec);
  if (!policy || attempt > policy.retries) return undefined;
  return new Date(Date.now() + policy.backoffMs * 2 ** (attempt - 1));
}

function unknownKind(step: PlannedStep): StepResult {
  return {
    ok: false,
    error: {
      code: 'GANTRY_INTERNAL',
      message: `this version of Gantry cannot run steps of kind "${step.kind}"`,
    },
  };
}
