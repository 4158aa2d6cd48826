// Every request of one version since it took traffic, read batch by batch from a source that sees single
// requests (gantry-proxy): per-second counts of requests and errors, and the sorted latencies. The
// sequential judges read these; a restart simply reads the history again from the source.

import type { MetricSource, RequestCursor } from '../metrics/metric-source.js';
import { SortedSamples } from './sorted-samples.js';

export interface SecondCounts {
  requests: number;
  errors: number;
}

export class RequestHistory {
  readonly perSecond = new Map<number, SecondCounts>();
  readonly latencies = new SortedSamples();
  requests = 0;
  errors = 0;
  query = '';
  private cursor: RequestCursor;

  constructor(
    private readonly source: MetricSource,
    readonly version: string,
    sinceMs: number,
  ) {
    this.cursor = { afterMs: sinceMs, seenAtMs: 0 };
  }

  /** Reads the requests finished since the last call; returns the error message when the source failed. */
  async update(untilMs: number, signal?: AbortSignal): Promise<string | undefined> {
    if (!this.source.requests) return `${this.source.kind} metrics have no single requests`;
    const batch = await this.source.requests(this.version, this.cursor, untilMs, signal);
    this.query = batch.query;
    if (batch.phase === 'error') return batch.message;
    this.cursor = batch.cursor;
    const latencies: number[] = [];
    for (const request of batch.requests) {
      const second = Math.floor(request.tMs / 1000);
      const counts = this.perSecond.get(second) ?? { requests: 0, errors: 0 };
      const failed = request.status >= 500;
      counts.requests++;
      if (failed) counts.errors++;
      this.perSecond.set(second, counts);
      this.requests++;
      if (failed) this.errors++;
      latencies.push(request.latencyMs);
    }
    this.latencies.add(latencies);
    return undefined;
  }
}
