// Builds the StepContext a handler sees: render, redact, log, record, wait and sleep, bound to one run.

import { EVENT } from '../deployment/events.js';
import type { PlannedStep } from '../plan/planned-step.js';
import { renderDeep } from '../plan/template.js';
import type { StepContext } from '../steps/step.js';
import { type DeploymentRun, ref } from './run.js';
import { sleepUntil } from './waiters.js';

export function stepContext(
  run: DeploymentRun,
  step: PlannedStep,
  signal: AbortSignal,
  attempt: number,
): StepContext {
  const { runtime, writer, log } = run.options;
  const progress = run.state.steps[step.id];
  const redact = (text: string) => runtime.redactor.text(text);
  return {
    deployment: runtime.info,
    plan: runtime.plan,
    planDir: runtime.planDir,
    step,
    attempt,
    firstStartedAt: new Date(progress?.firstStartedAt ?? Date.now()),
    firstStartedAtEvent: progress?.firstStartedAtEvent ?? run.state.eventCount,
    signal,
    services: run.options.services,
    state: () => run.state,
    render: (value) => renderDeep(value, runtime.template),
    redact,
    log: (line) => log(redact(line)),
    record: async (type, data) => {
      await writer.append({ type, data: { ...ref(step), ...data } });
    },
    async waitFor(options, check) {
      const immediate = check(run.state);
      if (immediate !== undefined) return immediate;
      const status = options.status ?? 'waiting';
      await run.setStatus(status, `${status === 'paused' ? 'paused' : 'waiting'} for ${options.waitingFor}`);
      await writer.append({
        type: EVENT.stepWaiting,
        data: { ...ref(step), waitingFor: options.waitingFor, until: options.until?.toISOString() },
      });
      const value = await run.waiters.until(() => run.state, check, { deadline: options.until, signal });
      await run.setStatus('running', `${step.id} no longer waiting`);
      return value;
    },
    sleepUntil: (at) => sleepUntil(at, signal),
  };
}
