// Stopping the traffic while data is restored (runbook 003: "stop application to prevent data corruption"):
// the target's maintenance mode goes on before the restore and off after it, unless it was on already.
// Whether it was on before is journaled, so a restore run again after a crash still leaves it as it found it.

import { EVENT } from '../deployment/events.js';
import type { StepContext } from './step.js';
import { changeTarget, targetOf } from './target-change.js';

/** Maintenance mode on for the restore; `resume` turns it off again unless it was on before. */
export async function stopTrafficFor(
  context: StepContext,
  backupId: string,
): Promise<{ resume(): Promise<void> }> {
  const target = targetOf(context);
  // A restore cut off by a crash runs again: it must remember whether maintenance was on before its first try.
  const earlier = context.state().trafficStops[context.step.id];
  const wasOn = earlier?.wasOn ?? (await target.describe()).maintenance;
  if (!earlier) await context.record(EVENT.trafficStopped, { wasOn });
  if (!wasOn) {
    await changeTarget(context, `turn maintenance mode on while ${backupId} is restored`, (t) =>
      t.setMaintenance(true, { message: 'Down for maintenance while data is restored.' }),
    );
    await context.record(EVENT.maintenanceSet, { enabled: true });
  }
  return {
    async resume() {
      if (wasOn) return;
      await changeTarget(context, 'turn maintenance mode off after the restore', (t) =>
        t.setMaintenance(false),
      );
      await context.record(EVENT.maintenanceSet, { enabled: false });
    },
  };
}
