// Keeps the leases of the deployments an engine drives: renews each every third of its TTL, and stops a run
// whose lease another engine took. It also stops a run whose lease it could not renew in time (the journal
// database did not answer): an expired lease may be taken by another engine at any moment, so the run stops
// itself before that can happen (self-fencing), rather than risk two engines driving one deployment.

import { GantryError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { formatDuration } from '../units/duration.js';
import { LeaseLostError } from './errors.js';

export interface LeaseKeeperOptions {
  journal: Pick<Journal, 'renewLease'>;
  holderId: string;
  ttlMs: number;
  onLost(deploymentId: string, error: GantryError): void;
  /** A monotonic clock in milliseconds; performance.now() unless a test drives time. */
  now?: () => number;
}

interface HeldLease {
  /** Until when the lease is surely ours: the send time of the last renewal that succeeded, plus the TTL. */
  validUntil: number;
  lastSentAt: number;
  renewing: boolean;
}

export class LeaseKeeper {
  private readonly leases = new Map<string, HeldLease>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** How often leases are checked; a run stops when its lease has less than this left. */
  get tickMs(): number {
    return Math.max(50, Math.floor(this.options.ttlMs / 6));
  }

  /** Starts keeping a lease acquired by a request sent at `requestedAt` (on the `now` clock). */
  hold(deploymentId: string, requestedAt: number): void {
    this.leases.set(deploymentId, {
      validUntil: requestedAt + this.options.ttlMs,
      lastSentAt: requestedAt,
      renewing: false,
    });
  }

  release(deploymentId: string): void {
    this.leases.delete(deploymentId);
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: stop the runs whose lease is running out unrenewed, renew the others that are due. */
  tick(): void {
    const now = this.now();
    for (const [id, lease] of this.leases) {
      if (lease.validUntil - now <= this.tickMs) {
        this.leases.delete(id);
        this.options.onLost(id, expired(id, this.options.ttlMs));
      } else if (!lease.renewing && now - lease.lastSentAt >= this.options.ttlMs / 3) {
        this.renew(id, lease, now);
      }
    }
  }

  private renew(id: string, lease: HeldLease, sentAt: number): void {
    const { journal, holderId, ttlMs } = this.options;
    lease.renewing = true;
    lease.lastSentAt = sentAt;
    journal
      .renewLease(id, holderId, ttlMs)
      .then(
        (renewed) => {
          if (this.leases.get(id) !== lease) return;
          if (renewed) {
            lease.validUntil = sentAt + ttlMs;
          } else {
            this.leases.delete(id);
            this.options.onLost(id, new LeaseLostError(id));
          }
        },
        // The journal did not answer: try again at the next tick; the deadline decides when to give up.
        () => {
          lease.lastSentAt = Number.NEGATIVE_INFINITY;
        },
      )
      .finally(() => {
        lease.renewing = false;
      });
  }
}

function expired(deploymentId: string, ttlMs: number): GantryError {
  return new GantryError(
    'GANTRY_LEASE_LOST',
    `could not renew the lease of ${deploymentId} within its ${formatDuration(ttlMs)} (the journal database did not answer); this engine stopped driving it so that another can take it over safely`,
    {
      where: deploymentId,
      hint: 'check the connection to the journal database; any engine that reaches it takes the deployment over',
    },
  );
}
