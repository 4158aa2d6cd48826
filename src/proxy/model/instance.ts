// One running copy of a version: its process, port, health, in-flight count and upstream connection pool.

import type { Pool } from 'undici';
import type { InstanceState, InstanceStatus } from '../api.js';
import { createUpstreamPool } from '../router/pool.js';
import type { InstanceStats } from '../stats/stats-store.js';
import type { ProcessHandle } from '../supervisor/process-handle.js';
import type { Version } from './version.js';

export class Instance {
  readonly id: string;
  readonly host = '127.0.0.1';
  status: InstanceStatus = 'starting';
  port = 0;
  inflight = 0;
  /** Keep-alive connections to the current process; set once its port is known. */
  pool: Pool | undefined;
  process: ProcessHandle | undefined;
  /** Process start time in clock ticks since boot (from /proc): tells a re-used pid from ours. */
  procStartTicks: number | null = null;
  adopted = false;
  startedAtMs = 0;
  healthySinceMs = 0;
  lastHealthError: string | null = null;
  probeFailures = 0;
  /** Set once the instance is being stopped on purpose: its exit is not a crash. */
  stopping = false;
  restarting = false;
  consecutiveCrashes = 0;
  /** The pending health probe or restart, so stopping can cancel it. */
  healthTimer: NodeJS.Timeout | undefined;
  wakeRestart: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly version: Version,
    readonly index: number,
    readonly logPath: string,
    readonly stats: InstanceStats,
  ) {
    this.id = `${version.name}-${index}`;
  }

  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  acquire(): void {
    this.inflight++;
  }

  release(): void {
    this.inflight--;
    if (this.inflight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves once no request is in flight (at once if none is). */
  whenIdle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A fresh pool for the process on `this.port`: connections to an old process must never be reused. */
  renewPool(): void {
    this.closePool();
    this.pool = createUpstreamPool(this.host, this.port);
  }

  closePool(): void {
    const pool = this.pool;
    this.pool = undefined;
    pool?.destroy().catch(() => {});
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  toState(): InstanceState {
    return {
      index: this.index,
      id: this.id,
      status: this.status,
      pid: this.pid,
      port: this.port,
      inflight: this.inflight,
      restarts: this.stats.restarts,
      startedAtMs: this.startedAtMs,
      adopted: this.adopted,
      lastHealthError: this.lastHealthError,
      logPath: this.logPath,
    };
  }
}
