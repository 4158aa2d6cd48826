// Statistics of every service, version and instance the proxy has served, kept in memory with bounded size.
// The router holds direct references to the VersionStats/InstanceStats it records into: no lookups per request.

import { clampLatencyUs } from './latency.js';
import { RecentRequests } from './recent-requests.js';
import { ResourceWindow } from './resource-window.js';
import { SecondWindow } from './second-window.js';
import { slotOfStatus } from './status-class.js';

/** Upper bounds (seconds) of the Prometheus duration histogram; +Inf is implicit. */
export const DURATION_BUCKETS_SEC = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export interface StatsLimits {
  /** Seconds of per-second data kept; default 3600. */
  retentionSec: number;
  /** Individual requests kept per version; default 10,000. */
  recentRequests: number;
}

export const DEFAULT_LIMITS: StatsLimits = { retentionSec: 3600, recentRequests: 10_000 };

export class InstanceStats {
  readonly window: SecondWindow;
  readonly resources: ResourceWindow;
  /** Cumulative requests by status class (2xx..5xx), for Prometheus counters. */
  readonly totals = new Float64Array(4);
  /** Cumulative (non-cumulative per bucket; summed when rendered) duration bucket counts; last is +Inf. */
  readonly buckets = new Float64Array(DURATION_BUCKETS_SEC.length + 1);
  durationSumSec = 0;
  restarts = 0;
  readonly restartTimesMs: number[] = [];

  constructor(limits: StatsLimits) {
    this.window = new SecondWindow(limits.retentionSec);
    this.resources = new ResourceWindow(limits.retentionSec);
  }

  countRestart(nowMs: number): void {
    this.restarts++;
    this.restartTimesMs.push(nowMs);
    if (this.restartTimesMs.length > 1000) this.restartTimesMs.shift();
  }
}

export class VersionStats {
  readonly window: SecondWindow;
  readonly recent: RecentRequests;
  readonly instances = new Map<number, InstanceStats>();

  constructor(
    readonly name: string,
    private readonly limits: StatsLimits,
  ) {
    this.window = new SecondWindow(limits.retentionSec);
    this.recent = new RecentRequests(limits.recentRequests);
  }

  instance(index: number): InstanceStats {
    let stats = this.instances.get(index);
    if (!stats) {
      stats = new InstanceStats(this.limits);
      this.instances.set(index, stats);
    }
    return stats;
  }

  /** One finished request. `instance` is undefined when the proxy answered without reaching one. */
  record(
    instance: InstanceStats | undefined,
    index: number,
    status: number,
    latencyMs: number,
    nowMs: number,
    proxyError: boolean,
  ): void {
    const sec = Math.floor(nowMs / 1000);
    const latencyUs = clampLatencyUs(latencyMs * 1000);
    this.window.record(sec, status, latencyUs, proxyError);
    this.recent.push(nowMs, latencyMs, status, index);
    if (!instance) return;
    instance.window.record(sec, status, latencyUs, proxyError);
    const slot = slotOfStatus(status);
    instance.totals[slot] = (instance.totals[slot] as number) + 1;
    const latencySec = latencyMs / 1000;
    instance.durationSumSec += latencySec;
    let bucket = 0;
    while (bucket < DURATION_BUCKETS_SEC.length && latencySec > (DURATION_BUCKETS_SEC[bucket] as number))
      bucket++;
    instance.buckets[bucket] = (instance.buckets[bucket] as number) + 1;
  }

  get lastSec(): number {
    return this.window.lastSec;
  }
}

export class ServiceStats {
  readonly versions = new Map<string, VersionStats>();
  /** Requests the proxy answered itself before choosing a version (maintenance page, nothing routable). */
  readonly unrouted: SecondWindow;

  constructor(private readonly limits: StatsLimits) {
    this.unrouted = new SecondWindow(limits.retentionSec);
  }

  version(name: string): VersionStats {
    let stats = this.versions.get(name);
    if (!stats) {
      stats = new VersionStats(name, this.limits);
      this.versions.set(name, stats);
    }
    return stats;
  }

  recordUnrouted(status: number, latencyMs: number, nowMs: number, proxyError: boolean): void {
    this.unrouted.record(Math.floor(nowMs / 1000), status, clampLatencyUs(latencyMs * 1000), proxyError);
  }

  /** Forgets versions that are gone and served nothing within the retention period. */
  prune(nowMs: number, live: (version: string) => boolean): void {
    const oldestSec = Math.floor(nowMs / 1000) - this.limits.retentionSec;
    for (const [name, stats] of this.versions) {
      if (!live(name) && stats.lastSec < oldestSec) this.versions.delete(name);
    }
  }
}

export class StatsStore {
  readonly services = new Map<string, ServiceStats>();

  constructor(readonly limits: StatsLimits = DEFAULT_LIMITS) {}

  service(name: string): ServiceStats {
    let stats = this.services.get(name);
    if (!stats) {
      stats = new ServiceStats(this.limits);
      this.services.set(name, stats);
    }
    return stats;
  }
}
