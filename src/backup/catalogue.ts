// The backups Gantry knows of, read from the journal: each deployment's `backup.taken`, `backup.deleted` and
// `backup.restored` events. There is no separate table; the journal is the record.

import {
  type BackupDeletedData,
  type BackupRestoredData,
  type BackupTakenData,
  EVENT,
} from '../deployment/events.js';
import type { Status } from '../deployment/status.js';
import type { DeploymentRecord, Journal, JournalEvent } from '../journal/journal.js';
import { type BackupRecord, parseBackupId } from './record.js';

export interface CatalogueEntry extends BackupRecord {
  deploymentId: string;
  service: string;
  environment: string;
  version: string;
  deploymentStatus: Status;
  takenAt: string;
  deleted?: { at: string; reason: string };
  restores: Array<{ at: string; by: string; into: string }>;
}

export interface CatalogueFilter {
  deploymentId?: string;
  service?: string;
  environment?: string;
  /** How many of the newest deployments are read; default 100. */
  deployments?: number;
  includeDeleted?: boolean;
}

/** Newest first. */
export async function listBackups(journal: Journal, filter: CatalogueFilter = {}): Promise<CatalogueEntry[]> {
  const records = filter.deploymentId
    ? [await journal.getDeployment(filter.deploymentId)].filter((r): r is DeploymentRecord => r !== undefined)
    : await journal.listDeployments({
        service: filter.service,
        environment: filter.environment,
        limit: filter.deployments ?? 100,
      });
  const entries: CatalogueEntry[] = [];
  for (const record of records) entries.push(...entriesOf(record, await journal.readEvents(record.id)));
  return entries
    .filter((entry) => filter.includeDeleted || !entry.deleted)
    .sort((a, b) => b.takenAt.localeCompare(a.takenAt));
}

export async function findBackup(journal: Journal, backupId: string): Promise<CatalogueEntry | undefined> {
  const parsed = parseBackupId(backupId);
  if (!parsed) return undefined;
  const entries = await listBackups(journal, { deploymentId: parsed.deploymentId, includeDeleted: true });
  return entries.find((entry) => entry.backupId === backupId);
}

/** One deployment's backups, folded from its events (the latest `backup.taken` of each name counts). */
export function entriesOf(record: DeploymentRecord, events: readonly JournalEvent[]): CatalogueEntry[] {
  const byId = new Map<string, CatalogueEntry>();
  for (const event of events) {
    if (event.type === EVENT.backupTaken) {
      const { stepId: _s, track: _t, index: _i, ...data } = event.data as unknown as BackupTakenData;
      byId.set(data.backupId, {
        ...data,
        deploymentId: record.id,
        service: record.service,
        environment: record.environment,
        version: record.version,
        deploymentStatus: record.status,
        takenAt: event.at,
        restores: [],
      });
    } else if (event.type === EVENT.backupDeleted) {
      const data = event.data as unknown as BackupDeletedData;
      const entry = byId.get(data.backupId);
      if (entry) entry.deleted = { at: event.at, reason: data.reason };
    } else if (event.type === EVENT.backupRestored) {
      const data = event.data as unknown as BackupRestoredData;
      byId.get(data.backupId)?.restores.push({ at: event.at, by: event.actor ?? '', into: data.into });
    }
  }
  return [...byId.values()];
}
