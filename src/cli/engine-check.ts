// Whether a deployment has a live engine, and starting one when it has not.

import { isHolderDeadHere } from '../engine/holder.js';
import type { Journal } from '../journal/journal.js';
import { spawnDriver } from './driver.js';

export async function hasLiveEngine(journal: Journal, id: string): Promise<boolean> {
  const lease = await journal.getLease(id);
  return lease !== undefined && !isHolderDeadHere(lease) && Date.parse(lease.expiresAt) > Date.now();
}

/** Starts a detached engine unless one is alive; returns its pid when one was started. */
export async function ensureEngine(
  journal: Journal,
  id: string,
  extraArgs: string[] = [],
): Promise<number | undefined> {
  if (await hasLiveEngine(journal, id)) return undefined;
  return spawnDriver(id, extraArgs);
}
