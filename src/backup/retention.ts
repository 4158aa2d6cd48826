// Which backups retention deletes: of each name (per service and environment) the `keep` newest always stay;
// older ones stay until they are older than `retention`. A backup of a deployment still in progress stays
// whatever its age: its rollback may need it.

import type { Backup } from '../plan/schema/backup.js';
import type { Plan } from '../plan/schema/plan.js';

export interface RetentionPolicy {
  keep: number;
  retentionMs?: number;
}

export interface RetainedBackup {
  backupId: string;
  takenAt: string;
  /** The deployment that took it is still in progress. */
  active: boolean;
}

export function retentionOf(plan: Plan, spec: Backup): RetentionPolicy {
  const retentionMs = spec.retention ?? plan.backups.retention;
  return { keep: spec.keep ?? plan.backups.keep, ...(retentionMs !== undefined ? { retentionMs } : {}) };
}

/** The backups (all of one name, service and environment) that retention deletes now. */
export function expiredBackups<T extends RetainedBackup>(
  backups: readonly T[],
  policy: RetentionPolicy,
  nowMs: number,
): T[] {
  const newestFirst = [...backups].sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  return newestFirst.filter(
    (backup, rank) =>
      rank >= policy.keep &&
      !backup.active &&
      (policy.retentionMs === undefined || nowMs - Date.parse(backup.takenAt) > policy.retentionMs),
  );
}

export function describePolicy(policy: RetentionPolicy, formatMs: (ms: number) => string): string {
  return `keep ${policy.keep}${policy.retentionMs !== undefined ? `, then until ${formatMs(policy.retentionMs)} old` : ''}`;
}
