// Adoption: an engine without a fixed deployment drives every non-terminal deployment whose lease is
// free, expired, or held by a dead process on this machine. Leases make sure only one engine wins.

import { isGantryError, toError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { Engine } from './engine.js';
import { isHolderDeadHere } from './holder.js';

const ACTIVE = ['pending', 'running', 'waiting', 'paused', 'interrupted'] as const;

export async function adoptOrphans(
  engine: Engine,
  journal: Journal,
  options: { pollMs: number; log: (line: string) => void; signal?: AbortSignal },
): Promise<void> {
  const driving = new Set<string>();
  while (!options.signal?.aborted) {
    const candidates = await journal.listDeployments({ statuses: ACTIVE, limit: 500 });
    for (const deployment of candidates) {
      if (driving.has(deployment.id)) continue;
      const lease = await journal.getLease(deployment.id);
      const free = !lease || Date.parse(lease.expiresAt) < Date.now() || isHolderDeadHere(lease);
      if (!free) continue;
      driving.add(deployment.id);
      engine
        .drive(deployment.id)
        .then((status) => options.log(`${deployment.id} ended: ${status}`))
        .catch((thrown) => {
          // Another engine won the race for the same free lease: expected when several adopt at once.
          if (isGantryError(thrown, 'GANTRY_LOCKED')) return;
          options.log(`${deployment.id}: ${toError(thrown).message}`);
        })
        .finally(() => driving.delete(deployment.id));
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
