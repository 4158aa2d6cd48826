// `stopVersion`: drains a version (in-flight requests finish) and stops it. The previous version may first
// stay warm for a while after the new one took all traffic, so a rollback in that time is an instant switch.

import { EVENT } from '../deployment/events.js';
import { formatDuration } from '../units/duration.js';
import type { StepContext, StepHandler } from './step.js';
import { changeTarget, targetOf, type VersionRole, versionOf } from './target-change.js';

export interface StopVersionStep {
  stopVersion: {
    version: VersionRole;
    /** Milliseconds the version stays running after the new version took all traffic. */
    keepWarm?: number;
    /** Stop it even when it carries all the traffic (recreate, or rolling back a first deployment). */
    force?: boolean;
  };
  name?: string;
}

export const stopVersionHandler: StepHandler<StopVersionStep> = {
  kind: 'stopVersion',
  idempotent: () => true,
  async run(context, spec) {
    const { version: role, keepWarm = 0 } = spec.stopVersion;
    const version = versionOf(context, role);
    if (!version) return { ok: true, result: { stopped: null, reason: 'there is no previous version' } };
    if (role === 'new' && context.deployment.previousVersion === version) {
      // A redeploy of the version already serving: rolling it back must leave it serving.
      return { ok: true, result: { stopped: null, reason: `${version} was serving before this deployment` } };
    }
    const running = (await targetOf(context).describe()).versions.some((v) => v.version === version);
    if (!running) {
      await context.record(EVENT.versionStopped, { version, wasRunning: false });
      return { ok: true, result: { stopped: version, wasRunning: false } };
    }
    if (keepWarm > 0) await keepWarmUntil(context, version, keepWarm);
    // Nothing ran before a first deployment: rolling one back leaves nothing running, as it was.
    const force =
      spec.stopVersion.force === true || (role === 'new' && context.deployment.previousVersion === null);
    await changeTarget(context, `drain and stop ${version}`, (target) =>
      target.stopVersion(version, { force }),
    );
    await context.record(EVENT.versionStopped, { version });
    return { ok: true, result: { stopped: version } };
  },
};

/** Waits (as `waiting`, with a deadline that survives restarts) until the keep-warm period has passed. */
async function keepWarmUntil(context: StepContext, version: string, keepWarmMs: number): Promise<void> {
  const since = context.state().fullTrafficAt;
  if (!since) return;
  const until = new Date(Date.parse(since) + keepWarmMs);
  if (until.getTime() <= Date.now()) return;
  await context.waitFor(
    {
      waitingFor: `${version} kept warm for ${formatDuration(keepWarmMs)} after the switch, until ${until.toISOString().slice(11, 19)} (a rollback until then is instant)`,
      until,
    },
    () => undefined,
  );
}
