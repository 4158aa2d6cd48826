// The last N individual requests of a version (timestamp, latency, status, instance) in preallocated typed
// arrays: rules like "latency > 3s for 10 requests" and per-request statistical tests read these.

import type { RecentRequest } from '../api.js';

export class RecentRequests {
  private readonly tMs: Float64Array;
  private readonly latencyMs: Float32Array;
  private readonly status: Uint16Array;
  private readonly instance: Int16Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity = 10_000) {
    this.tMs = new Float64Array(capacity);
    this.latencyMs = new Float32Array(capacity);
    this.status = new Uint16Array(capacity);
    this.instance = new Int16Array(capacity);
  }

  push(tMs: number, latencyMs: number, status: number, instance: number): void {
    const at = this.next;
    this.tMs[at] = tMs;
    this.latencyMs[at] = latencyMs;
    this.status[at] = status;
    this.instance[at] = instance;
    this.next = at + 1 === this.capacity ? 0 : at + 1;
    if (this.size < this.capacity) this.size++;
  }

  /** Up to `limit` of the newest requests that finished in [sinceMs, untilMs], oldest first. */
  collect(
    version: string,
    sinceMs: number,
    untilMs: number,
    limit: number,
    instance?: number,
  ): RecentRequest[] {
    const picked: RecentRequest[] = [];
    for (let n = 1; n <= this.size && picked.length < limit; n++) {
      const at = (this.next - n + this.capacity) % this.capacity;
      const t = this.tMs[at] as number;
      if (t > untilMs) continue;
      if (t < sinceMs) break;
      if (instance !== undefined && this.instance[at] !== instance) continue;
      picked.push({
        tMs: t,
        latencyMs: Math.round((this.latencyMs[at] as number) * 1000) / 1000,
        status: this.status[at] as number,
        version,
        instance: this.instance[at] as number,
      });
    }
    return picked.reverse();
  }
}
