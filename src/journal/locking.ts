// Who may hold a service/environment lock or a deployment lease: the rules both backends apply inside
// their transactions, kept pure so they read (and are tested) once.

import { isStatus, isTerminal, STATUSES, type Status } from '../deployment/status.js';

/** The lock row of a service/environment as read with its holder's status; `holderStatus` undefined = missing deployment. */
export interface LockRow {
  deploymentId: string;
  holderStatus: Status | undefined;
}

export type NewDeploymentDecision =
  | { kind: 'take' }
  | { kind: 'queue' }
  /** `holderId` is the live lock holder, or the first deployment waiting in the queue. */
  | { kind: 'refuse'; holderId: string };

/** Terminal statuses as a SQL list of literals: constants from status.ts, so inlining them is safe. */
export const TERMINAL_SQL = STATUSES.filter(isTerminal)
  .map((status) => `'${status}'`)
  .join(', ');

/** A lock row pointing at a terminal or missing deployment is stale: a crashed run never released it. */
export function isLive(lock: LockRow | undefined): lock is LockRow {
  return lock !== undefined && isStatus(lock.holderStatus) && !isTerminal(lock.holderStatus);
}

/**
 * A new deployment takes the lock when it is free (or stale) and nobody waits in the queue: a freed lock
 * belongs to the oldest queued deployment, so a newcomer never jumps ahead of those waiting.
 */
export function decideNewDeployment(
  lock: LockRow | undefined,
  firstQueuedId: string | undefined,
  queue: boolean,
): NewDeploymentDecision {
  const blocker = isLive(lock) ? lock.deploymentId : firstQueuedId;
  if (blocker === undefined) return { kind: 'take' };
  return queue ? { kind: 'queue' } : { kind: 'refuse', holderId: blocker };
}

/** A queued deployment takes the lock when it is free (or stale) and it is the oldest one waiting. */
export function mayTakeQueuedLock(
  deployment: { id: string; status: Status; queued: boolean },
  lock: LockRow | undefined,
  firstQueuedId: string | undefined,
): boolean {
  if (!deployment.queued || isTerminal(deployment.status)) return false;
  return !isLive(lock) && firstQueuedId === deployment.id;
}

export type LeaseDecision = 'take' | 'extend' | 'refuse';

/**
 * A lease is taken when none exists, it expired, or its holder is the one the caller knows to be dead;
 * a holder asking again for the lease it holds just extends it.
 */
export function decideLease(
  current: { holderId: string; expired: boolean } | undefined,
  holderId: string,
  replacing: string | undefined,
): LeaseDecision {
  if (current === undefined) return 'take';
  // Nobody else held it in between, so the epoch stays: the holder's fencing token is still valid.
  if (current.holderId === holderId) return 'extend';
  return current.expired || current.holderId === replacing ? 'take' : 'refuse';
}
