// Interrupting a step: the step marked `interrupted` and the deployment's status set to `interrupted` in one
// append, so a crash can never leave one without the other (a step marked interrupted under a `running`
// status would otherwise be picked up and run again by the next engine, without an operator's answer).

import { EVENT, type StepRef } from '../deployment/events.js';
import type { DeploymentRun } from './run.js';

export async function interruptStep(
  run: DeploymentRun,
  step: StepRef,
  reasons: { step: string; status: string },
  extra: Record<string, unknown> = {},
): Promise<void> {
  const from = run.state.status;
  const events = await run.options.writer.append(
    { type: EVENT.stepInterrupted, data: { ...step, reason: reasons.step, ...extra } },
    ...(from === 'interrupted'
      ? []
      : [{ type: EVENT.statusChanged, data: { from, to: 'interrupted', reason: reasons.status } }]),
  );
  const changed = events.find((event) => event.type === EVENT.statusChanged);
  if (changed) run.lifecycle.statusChanged(from, 'interrupted', reasons.status, changed);
}
