// The demo's users: a steady stream of requests through gantry-proxy, counted by the version that answered
// (X-Gantry-Version) and by outcome, with a one-second window for the live line.

import { Agent, request } from 'node:http';

export interface TrafficTotals {
  requests: number;
  /** Network errors and 5xx answers. */
  failed: number;
  byVersion: Record<string, { requests: number; failed: number }>;
}

export interface TrafficSecond {
  requests: number;
  failed: number;
  byVersion: Record<string, number>;
}

export class Traffic {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32 });
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private recent: { atMs: number; version: string; failed: boolean }[] = [];
  readonly totals: TrafficTotals = { requests: 0, failed: 0, byVersion: {} };

  constructor(
    private readonly url: string,
    private readonly ratePerSec: number,
  ) {}

  start(): void {
    const tickMs = 20;
    let owed = 0;
    this.timer = setInterval(() => {
      owed += (this.ratePerSec * tickMs) / 1000;
      // Never more than a few hundred requests waiting: a stalled service must not pile up sockets.
      for (; owed >= 1 && this.inFlight.size < 200; owed--) this.send();
      owed = Math.min(owed, 5);
    }, tickMs);
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<TrafficTotals> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
    this.agent.destroy();
    return this.totals;
  }

  /** The last second: requests, failures and each version's count. */
  lastSecond(nowMs = Date.now()): TrafficSecond {
    this.recent = this.recent.filter((entry) => entry.atMs > nowMs - 1000);
    const byVersion: Record<string, number> = {};
    for (const entry of this.recent) byVersion[entry.version] = (byVersion[entry.version] ?? 0) + 1;
    return { requests: this.recent.length, failed: this.recent.filter((e) => e.failed).length, byVersion };
  }

  private send(): void {
    const done = new Promise<void>((resolve) => {
      const req = request(this.url, { agent: this.agent, timeout: 10_000 }, (res) => {
        const version = String(res.headers['x-gantry-version'] ?? 'none');
        res.resume();
        res.on('end', () => {
          this.count(version, (res.statusCode ?? 0) >= 500);
          resolve();
        });
        res.on('error', () => {
          this.count(version, true);
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        this.count('none', true);
        resolve();
      });
      req.end();
    });
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private count(version: string, failed: boolean): void {
    this.totals.requests++;
    const entry = this.totals.byVersion[version] ?? { requests: 0, failed: 0 };
    this.totals.byVersion[version] = entry;
    entry.requests++;
    if (failed) {
      this.totals.failed++;
      entry.failed++;
    }
    this.recent.push({ atMs: Date.now(), version, failed });
  }
}
