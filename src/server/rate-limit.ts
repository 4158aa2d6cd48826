// Failed sign-ins are limited per client address: after `maxFailures` within `windowMs`, every request
// from that address is refused with 429 until the window has passed. Kept in memory, per server process.

export interface FailureLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: FailureLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until this client may try again; 0 when it may now. */
  retryAfterMs(client: string): number {
    const recent = this.recent(client);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, (recent[recent.length - this.maxFailures] as number) + this.windowMs - this.now());
  }

  fail(client: string): void {
    const recent = this.recent(client);
    recent.push(this.now());
    this.failures.set(client, recent);
    if (this.failures.size > 10_000) this.sweep();
  }

  private recent(client: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(client) ?? []).filter((at) => at > since);
  }

  /** Forgets clients whose failures have all aged out, so memory stays bounded under a spray of addresses. */
  private sweep(): void {
    for (const client of [...this.failures.keys()]) {
      if (this.recent(client).length === 0) this.failures.delete(client);
    }
  }
}
