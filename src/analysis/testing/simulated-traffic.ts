// A MetricSource over simulated traffic, for the evaluator's tests and bench/detection.ts: requests arrive
// as a Poisson process split between versions by weight, each failing with its version's error rate and
// taking a log-normal time. It answers like gantry-proxy (windows, per-second series, single requests), so
// the real evaluation code runs on it unchanged. Traffic is generated lazily up to the time asked.

import type {
  Measurement,
  MetricPoint,
  MetricQuery,
  MetricSource,
  RequestBatch,
  RequestCursor,
  RequestSample,
  SeriesMeasurement,
} from '../../metrics/metric-source.js';
import type { Random } from './random.js';

export interface SimulatedVersion {
  name: string;
  /** Share of requests, 0–1, possibly changing over time. */
  share: (tMs: number) => number;
  errorRate: number;
  medianLatencyMs: number;
  /** False: every request takes exactly the median (faster to simulate when latency is not judged). */
  latencyVaries?: boolean;
}

export class SimulatedTraffic implements MetricSource {
  readonly kind = 'builtin';
  private readonly log = new Map<string, RequestSample[]>();
  private generatedUntilMs: number;

  constructor(
    private readonly random: Random,
    private readonly options: {
      requestsPerSecond: number;
      versions: SimulatedVersion[];
      startMs: number;
      tickMs?: number;
    },
  ) {
    this.generatedUntilMs = options.startMs;
    for (const version of options.versions) this.log.set(version.name, []);
  }

  shapeOf(): 'window' | 'gauge' {
    return 'window';
  }

  /** Generates the traffic up to `untilMs`. */
  advance(untilMs: number): void {
    const tick = this.options.tickMs ?? 100;
    while (this.generatedUntilMs + tick <= untilMs) {
      const from = this.generatedUntilMs;
      for (const version of this.options.versions) {
        const expected = (this.options.requestsPerSecond * version.share(from) * tick) / 1000;
        const count = this.random.poisson(expected);
        const log = this.log.get(version.name) as RequestSample[];
        for (let i = 0; i < count; i++) {
          const tMs = Math.floor(from + ((i + 0.5) * tick) / count);
          const failed = this.random.binomial(1, version.errorRate) === 1;
          log.push({
            tMs,
            latencyMs: this.random.latency(version.medianLatencyMs),
            status: failed ? 500 : 200,
          });
        }
      }
      this.generatedUntilMs += tick;
    }
  }

  async value(q: MetricQuery): Promise<Measurement> {
    this.advance(q.untilMs);
    const requests = this.between(q.version, q.sinceMs, q.untilMs);
    const base = {
      metric: q.metric,
      role: q.role,
      version: q.version,
      query: `simulated ${q.version}`,
      sinceMs: q.sinceMs,
      untilMs: q.untilMs,
    };
    const value = metricOf(q.metric, requests, q.untilMs - q.sinceMs);
    return value === null
      ? { ...base, phase: 'ok', value: 0, requests: 0 }
      : { ...base, phase: 'ok', value, requests: requests.length };
  }

  async series(q: MetricQuery): Promise<SeriesMeasurement> {
    this.advance(q.untilMs);
    const points: MetricPoint[] = [];
    for (let s = Math.floor(q.sinceMs / 1000) * 1000; s < q.untilMs; s += 1000) {
      const requests = this.between(q.version, s, s + 999);
      const value = metricOf(q.metric, requests, 1000);
      if (value !== null) points.push({ tMs: s, value, requests: requests.length });
    }
    return {
      metric: q.metric,
      role: q.role,
      version: q.version,
      query: `simulated ${q.version}`,
      sinceMs: q.sinceMs,
      untilMs: q.untilMs,
      phase: 'ok',
      points,
    };
  }

  async requests(version: string, cursor: RequestCursor, untilMs: number): Promise<RequestBatch> {
    this.advance(untilMs);
    const all = this.between(version, cursor.afterMs, untilMs);
    const atCursor = all.filter((r) => r.tMs === cursor.afterMs).length;
    const fresh = all.slice(Math.min(cursor.seenAtMs, atCursor));
    const last = fresh.at(-1) ?? all.at(-1);
    const next = last
      ? { afterMs: last.tMs, seenAtMs: all.filter((r) => r.tMs === last.tMs).length }
      : cursor;
    return { phase: 'ok', requests: fresh, cursor: next, query: `simulated ${version}` };
  }

  async lastRequests(
    version: string,
    count: number,
    sinceMs: number,
    untilMs: number,
  ): Promise<RequestBatch> {
    this.advance(untilMs);
    const requests = this.between(version, sinceMs, untilMs).slice(-count);
    return {
      phase: 'ok',
      requests,
      cursor: { afterMs: untilMs, seenAtMs: 0 },
      query: `simulated ${version}`,
    };
  }

  private between(version: string, sinceMs: number, untilMs: number): RequestSample[] {
    const log = this.log.get(version) ?? [];
    return log.slice(lowerIndex(log, sinceMs), lowerIndex(log, untilMs + 1));
  }
}

function lowerIndex(log: readonly RequestSample[], tMs: number): number {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((log[middle] as RequestSample).tMs < tMs) low = middle + 1;
    else high = middle;
  }
  return low;
}

function metricOf(metric: string, requests: readonly RequestSample[], spanMs: number): number | null {
  if (metric === 'request_rate') return (requests.length * 1000) / spanMs;
  if (requests.length === 0) return null;
  if (metric === 'error_rate') return requests.filter((r) => r.status >= 500).length / requests.length;
  const sorted = requests.map((r) => r.latencyMs).sort((a, b) => a - b);
  const q = { p50_latency: 0.5, p95_latency: 0.95, p99_latency: 0.99, latency: 1 }[metric];
  if (q === undefined) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}
