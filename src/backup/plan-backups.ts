// The backups a plan takes, found on its expanded main track: the `backup` section and `backup` steps alike.

import type { PlannedStep } from '../plan/planned-step.js';
import type { Backup } from '../plan/schema/backup.js';

export interface PlannedBackup {
  step: PlannedStep;
  spec: Backup;
}

/** A `backup` step's spec is `{ backup: item }`; a backup-section step's spec is the item itself. */
export function backupOf(spec: unknown): Backup {
  const value = spec as Backup | { backup: Backup };
  return 'backup' in value ? value.backup : value;
}

export function plannedBackup(main: readonly PlannedStep[], name: string): PlannedBackup | undefined {
  for (const step of main) {
    if (step.kind !== 'backup') continue;
    const spec = backupOf(step.spec);
    if (spec.name === name) return { step, spec };
  }
  return undefined;
}
