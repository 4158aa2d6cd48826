// `startVersion`: starts the new version beside the running one and waits until every instance is healthy.
// It gets no traffic yet; setWeight, a switch or a rolling batch gives it some. Starting again is a no-op.

import { EVENT } from '../deployment/events.js';
import type { StepHandler } from './step.js';
import { changeTarget, plural } from './target-change.js';

export interface StartVersionStep {
  startVersion: { instances: number };
  name?: string;
}

export const startVersionHandler: StepHandler<StartVersionStep> = {
  kind: 'startVersion',
  idempotent: () => true,
  async run(context, spec) {
    const { version } = context.deployment;
    const { instances } = spec.startVersion;
    await changeTarget(context, `start ${version} with ${plural(instances, 'instance')}`, (target) =>
      target.ensureVersion(version, instances),
    );
    await context.record(EVENT.versionStarted, { version, instances });
    return { ok: true, result: { version, instances } };
  },
};
