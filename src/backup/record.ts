// A backup as Gantry records it (the data of its `backup.taken` event, without the step reference), and
// how operators name it.

import type { BackupTakenData, StepRef } from '../deployment/events.js';

export type BackupRecord = Omit<BackupTakenData, keyof StepRef>;

/** `<deployment id>.<name>`: deployment ids hold no dot, so the first dot splits it. */
export function backupIdOf(deploymentId: string, name: string): string {
  return `${deploymentId}.${name}`;
}

export function parseBackupId(id: string): { deploymentId: string; name: string } | undefined {
  const dot = id.indexOf('.');
  if (dot <= 0 || dot === id.length - 1) return undefined;
  return { deploymentId: id.slice(0, dot), name: id.slice(dot + 1) };
}

/** Scratch databases of a deployment's verifying restores share this prefix (Postgres names: [a-z0-9_]). */
export function scratchPrefixOf(deploymentId: string): string {
  return `gantry_verify_${deploymentId.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
}
