// Applies retention after a backup is taken: deletes the files of expired backups of the same name, service
// and environment, and records each deletion on the deployment that took it.

import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { EVENT } from '../deployment/events.js';
import { isTerminal } from '../deployment/status.js';
import type { Journal } from '../journal/journal.js';
import { formatDuration } from '../units/duration.js';
import { listBackups } from './catalogue.js';
import { describePolicy, expiredBackups, type RetentionPolicy } from './retention.js';
import { fileSize } from './storage.js';

export interface PruneRequest {
  service: string;
  environment: string;
  name: string;
  policy: RetentionPolicy;
  /** Who deletes, for the journal. */
  actor: string;
}

/** Returns the ids of the backups deleted. A backup whose file is on another machine is left to it. */
export async function pruneBackups(journal: Journal, request: PruneRequest): Promise<string[]> {
  const entries = await listBackups(journal, {
    service: request.service,
    environment: request.environment,
    deployments: 200,
  });
  const candidates = entries
    .filter((entry) => entry.name === request.name)
    .map((entry) => ({ ...entry, active: !isTerminal(entry.deploymentStatus) }));
  const deleted: string[] = [];
  for (const backup of expiredBackups(candidates, request.policy, Date.now())) {
    const present = (await fileSize(backup.location)) !== undefined;
    if (!present && backup.host !== hostname()) continue;
    if (present) await rm(backup.location, { force: true });
    await journal.append([
      {
        deploymentId: backup.deploymentId,
        events: [
          {
            type: EVENT.backupDeleted,
            data: {
              backupId: backup.backupId,
              name: backup.name,
              reason: present
                ? `retention (${describePolicy(request.policy, formatDuration)})`
                : 'its file was already gone',
            },
            actor: request.actor,
          },
        ],
      },
    ]);
    deleted.push(backup.backupId);
  }
  return deleted;
}
