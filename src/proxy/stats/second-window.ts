// Per-second request counters and latency histograms in a ring of `capacity` seconds (an hour by default):
// memory is bounded whatever the traffic. The second being filled keeps a full histogram; finished seconds
// keep a sparse copy.

import {
  addSnapshot,
  type LatencyHistogram,
  type LatencySnapshot,
  newLatencyHistogram,
  snapshotOf,
} from './latency.js';
import { SLOT_PROXY_ERROR, SLOTS, slotOfStatus } from './status-class.js';

/** Sums of one or more seconds: counters by slot (see status-class.ts) and a latency histogram. */
export class WindowSums {
  readonly counts = new Float64Array(SLOTS);
  readonly latency: LatencyHistogram = newLatencyHistogram();

  get total(): number {
    const c = this.counts;
    return (c[0] as number) + (c[1] as number) + (c[2] as number) + (c[3] as number);
  }

  reset(): void {
    this.counts.fill(0);
    this.latency.reset();
  }
}

export class SecondWindow {
  private readonly stamps: Float64Array;
  private readonly counts: Uint32Array;
  private readonly snapshots: (LatencySnapshot | undefined)[];
  private readonly current: LatencyHistogram = newLatencyHistogram();
  private currentSec = -1;

  constructor(readonly capacity = 3600) {
    this.stamps = new Float64Array(capacity).fill(-1);
    this.counts = new Uint32Array(capacity * SLOTS);
    this.snapshots = new Array(capacity).fill(undefined);
  }

  /** The last second anything was recorded in (-1: never). */
  get lastSec(): number {
    return this.currentSec;
  }

  record(sec: number, status: number, latencyUs: number, proxyError: boolean): void {
    if (sec > this.currentSec) this.roll(sec);
    const base = this.slotOf(this.currentSec) * SLOTS;
    bump(this.counts, base + slotOfStatus(status));
    if (proxyError) bump(this.counts, base + SLOT_PROXY_ERROR);
    this.current.recordValue(latencyUs);
  }

  /** Adds the seconds `sinceSec..untilSec` (inclusive) to `sums`. */
  addTo(sums: WindowSums, sinceSec: number, untilSec: number): void {
    const from = Math.max(sinceSec, untilSec - this.capacity + 1);
    for (let sec = from; sec <= untilSec; sec++) {
      const slot = sec % this.capacity;
      if (this.stamps[slot] !== sec) continue;
      const base = slot * SLOTS;
      for (let i = 0; i < SLOTS; i++)
        sums.counts[i] = (sums.counts[i] as number) + (this.counts[base + i] as number);
      if (sec === this.currentSec) sums.latency.add(this.current);
      else {
        const snapshot = this.snapshots[slot];
        if (snapshot) addSnapshot(sums.latency, snapshot);
      }
    }
  }

  private roll(sec: number): void {
    if (this.currentSec >= 0) {
      const slot = this.currentSec % this.capacity;
      if (this.stamps[slot] === this.currentSec) this.snapshots[slot] = snapshotOf(this.current);
      this.current.reset();
    }
    this.currentSec = sec;
    const slot = sec % this.capacity;
    this.stamps[slot] = sec;
    this.counts.fill(0, slot * SLOTS, slot * SLOTS + SLOTS);
    this.snapshots[slot] = undefined;
  }

  private slotOf(sec: number): number {
    return sec % this.capacity;
  }
}

function bump(counts: Uint32Array, at: number): void {
  counts[at] = (counts[at] as number) + 1;
}
