// `pause`: until an operator promotes, or for a duration (a persisted deadline) that promote can cut short.

import { commandsSince } from '../deployment/state.js';
import type { PauseStep } from '../plan/schema/steps.js';
import { formatDuration } from '../units/duration.js';
import type { StepHandler } from './step.js';

export const pauseHandler: StepHandler<PauseStep> = {
  kind: 'pause',
  idempotent: () => true,
  async run(context, spec) {
    const { duration, reason } = spec.pause;
    const until = duration === undefined ? undefined : new Date(context.firstStartedAt.getTime() + duration);
    const waitingFor = until
      ? `${formatDuration(duration ?? 0)} pause${reason ? ` (${reason})` : ''} — or \`gantry promote ${context.deployment.id}\``
      : `promotion${reason ? ` (${reason})` : ''} — run \`gantry promote ${context.deployment.id}\``;
    const promoted = await context.waitFor({ waitingFor, until }, (state) =>
      commandsSince(state, context.firstStartedAtEvent).find((command) => command.command === 'promote'),
    );
    return { ok: true, result: promoted ? { promotedBy: promoted.by } : { elapsed: true } };
  },
};
