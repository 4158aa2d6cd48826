// The plan a deployment runs: the snapshot taken when it was created, or the latest one an operator
// supplied with `gantry resume --replan --plan FILE` (journaled as `plan.replaced`).

import { EVENT } from '../deployment/events.js';
import type { DeploymentRecord, JournalEvent, PlanSnapshot } from '../journal/journal.js';

export function planSnapshotOf(record: DeploymentRecord, events: readonly JournalEvent[]): PlanSnapshot {
  const replaced = [...events]
    .reverse()
    .find((event) => event.type === EVENT.planReplaced && event.data.source);
  if (!replaced) return record.plan;
  return { path: String(replaced.data.path ?? record.plan.path), source: String(replaced.data.source) };
}
