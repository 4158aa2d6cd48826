// The backup service a run's steps use: where this plan's backups go, and retention over the journal.

import type { Journal } from '../journal/journal.js';
import { type PruneRequest, pruneBackups } from './prune.js';
import { backupRoot } from './storage.js';

export interface BackupService {
  /** The folder backups are written under, for a plan's `backups.dir` and folder. */
  root(configuredDir: string | undefined, planDir: string): string;
  /** Deletes expired backups of one name; returns their ids. */
  prune(request: PruneRequest): Promise<string[]>;
}

export function backupService(journal: Journal | undefined, home: string): BackupService {
  return {
    root: (configuredDir, planDir) => backupRoot(configuredDir, planDir, home),
    prune: async (request) => (journal ? pruneBackups(journal, request) : []),
  };
}
