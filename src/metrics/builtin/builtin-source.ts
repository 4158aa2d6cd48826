// The builtin metric source: gantry-proxy's per-version statistics, read through its admin API. Windows are
// rounded out to whole seconds by the proxy; single requests come from its ring of the newest 10,000.

import { totalmem } from 'node:os';
import { toError } from '../../errors.js';
import type { StatsQuery, StatsReport } from '../../proxy/api.js';
import type {
  Measurement,
  MetricQuery,
  MetricSource,
  RequestBatch,
  RequestCursor,
  SeriesMeasurement,
} from '../metric-source.js';
import { growthPerHour } from './memory-growth.js';
import type { ProxyStats } from './proxy-stats.js';
import { type MemoryBasis, readReport, readSeries } from './report-values.js';

/** The most requests the proxy returns at once (its ring per version). */
const RECENT_LIMIT = 10_000;

export class BuiltinSource implements MetricSource {
  readonly kind = 'builtin';
  private readonly memory: MemoryBasis;

  constructor(
    private readonly proxy: ProxyStats,
    /** The proxy's name for the service: `<service>.<environment>`. */
    private readonly service: string,
    memoryLimitBytes: number | null = null,
    /** Where the statistics come from, in explanations: gantry-proxy, or an nginx access log read alike. */
    private readonly origin = 'gantry-proxy',
  ) {
    this.memory = { limitBytes: memoryLimitBytes, machineBytes: totalmem() };
  }

  shapeOf(metric: string): 'window' | 'gauge' {
    return metric === 'memory' || metric === 'cpu' ? 'gauge' : 'window';
  }

  async value(query: MetricQuery): Promise<Measurement> {
    if (query.metric === 'memory_growth') return this.memoryGrowth(query);
    const asked = this.statsQuery(query.version, query.sinceMs, query.untilMs);
    const base = {
      metric: query.metric,
      role: query.role,
      version: query.version,
      query: describe(this.origin, this.service, asked),
    };
    const report = await this.stats(asked);
    if ('error' in report) {
      return {
        ...base,
        sinceMs: query.sinceMs,
        untilMs: query.untilMs,
        phase: 'error',
        message: report.error,
      };
    }
    const read = readReport(report, query.metric, query.unit, this.memory);
    const window = { sinceMs: report.sinceMs, untilMs: report.untilMs };
    if ('missing' in read) return { ...base, ...window, phase: 'nodata', message: read.missing };
    return { ...base, ...window, phase: 'ok', ...read };
  }

  async series(query: MetricQuery): Promise<SeriesMeasurement> {
    const asked = { ...this.statsQuery(query.version, query.sinceMs, query.untilMs), series: true };
    const base = {
      metric: query.metric,
      role: query.role,
      version: query.version,
      query: describe(this.origin, this.service, asked),
    };
    const report = await this.stats(asked);
    if ('error' in report)
      return {
        ...base,
        sinceMs: query.sinceMs,
        untilMs: query.untilMs,
        phase: 'error',
        message: report.error,
      };
    const points = readSeries(report.series ?? [], query.metric, query.unit, this.memory);
    return { ...base, sinceMs: report.sinceMs, untilMs: report.untilMs, phase: 'ok', points };
  }

  /** The trend of the window's memory samples (as ratios of the limit), per hour. */
  private async memoryGrowth(query: MetricQuery): Promise<Measurement> {
    const series = await this.series({ ...query, metric: 'memory', unit: 'ratio' });
    const { role, version, sinceMs, untilMs } = series;
    const base = { metric: query.metric, role, version, sinceMs, untilMs, query: `trend of ${series.query}` };
    if (series.phase !== 'ok') return { ...base, phase: series.phase, message: series.message };
    const growth = growthPerHour(series.points);
    if ('missing' in growth) return { ...base, phase: 'nodata', message: growth.missing };
    return { ...base, phase: 'ok', value: growth.value, requests: growth.samples };
  }

  async requests(version: string, cursor: RequestCursor, untilMs: number): Promise<RequestBatch> {
    const asked = { ...this.statsQuery(version, cursor.afterMs, untilMs), recent: RECENT_LIMIT };
    const query = describe(this.origin, this.service, asked);
    const report = await this.stats(asked);
    if ('error' in report) return { phase: 'error', message: report.error, query };
    let skip = cursor.seenAtMs;
    const fresh = (report.recent ?? []).filter((request) => {
      if (request.tMs < cursor.afterMs) return false;
      if (request.tMs === cursor.afterMs && skip > 0) {
        skip--;
        return false;
      }
      return true;
    });
    const last = fresh.at(-1);
    const next: RequestCursor = !last
      ? cursor
      : {
          afterMs: last.tMs,
          seenAtMs:
            fresh.filter((r) => r.tMs === last.tMs).length +
            (last.tMs === cursor.afterMs ? cursor.seenAtMs : 0),
        };
    const requests = fresh.map(({ tMs, latencyMs, status }) => ({ tMs, latencyMs, status }));
    return { phase: 'ok', requests, cursor: next, query };
  }

  async lastRequests(
    version: string,
    count: number,
    sinceMs: number,
    untilMs: number,
  ): Promise<RequestBatch> {
    const asked = { ...this.statsQuery(version, sinceMs, untilMs), recent: Math.min(count, RECENT_LIMIT) };
    const query = describe(this.origin, this.service, asked);
    const report = await this.stats(asked);
    if ('error' in report) return { phase: 'error', message: report.error, query };
    const requests = (report.recent ?? []).filter((r) => r.tMs >= sinceMs && r.tMs <= untilMs);
    const cursor = { afterMs: untilMs, seenAtMs: 0 };
    return {
      phase: 'ok',
      requests: requests.map(({ tMs, latencyMs, status }) => ({ tMs, latencyMs, status })),
      cursor,
      query,
    };
  }

  private statsQuery(version: string, sinceMs: number, untilMs: number): StatsQuery {
    return { version, sinceMs: Math.floor(sinceMs), untilMs: Math.floor(untilMs) };
  }

  private async stats(query: StatsQuery): Promise<StatsReport | { error: string }> {
    try {
      return await this.proxy.stats(this.service, query);
    } catch (thrown) {
      return { error: `${this.origin} statistics unavailable: ${toError(thrown).message}` };
    }
  }
}

/** "gantry-proxy stats of shop.production v3, 12:04:05–12:04:07 UTC". */
function describe(origin: string, service: string, query: StatsQuery): string {
  const at = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().slice(11, 19));
  const extra = query.recent ? `, last ${query.recent} requests` : query.series ? ', per second' : '';
  return `${origin} stats of ${service} ${query.version}, ${at(query.sinceMs)}–${at(query.untilMs)} UTC${extra}`;
}
