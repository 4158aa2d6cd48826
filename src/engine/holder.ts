// Who drives a deployment: one holder per engine process, and whether a holder's process is still alive.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Lease, LeaseHolder } from '../journal/journal.js';

export function newHolder(): LeaseHolder {
  return {
    holderId: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    host: hostname(),
    pid: process.pid,
  };
}

/** True when the lease's holder ran on this machine and its process is gone. */
export function isHolderDeadHere(lease: Lease): boolean {
  if (lease.host !== hostname()) return false;
  try {
    process.kill(lease.pid, 0);
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return isZombie(lease.pid);
}

/** A killed process its parent has not reaped yet still answers signal 0, but it is dead (Linux). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
