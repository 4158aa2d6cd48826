// Answers a stats query over any window: counts, error rate, rate, percentiles, resources, restarts, and on
// request the per-second series and the last individual requests. Windows are rounded out to whole seconds.

import type { RecentRequest, SecondPoint, StatsReport } from '../api.js';
import { summarize } from './latency.js';
import { emptyResourceSums, type ResourceSums, type ResourceWindow } from './resource-window.js';
import { type SecondWindow, WindowSums } from './second-window.js';
import type { InstanceStats, ServiceStats, VersionStats } from './stats-store.js';
import { SLOT_2XX, SLOT_3XX, SLOT_4XX, SLOT_5XX, SLOT_PROXY_ERROR } from './status-class.js';

export interface ResolvedStatsQuery {
  version?: string;
  instance?: number;
  sinceMs: number;
  untilMs: number;
  series: boolean;
  recent: number;
}

/** The streams a query reads: request windows, resource windows (with their memory limit), restarts, recents. */
interface Sources {
  windows: SecondWindow[];
  resources: { window: ResourceWindow; memoryLimitBytes: number | undefined }[];
  instances: InstanceStats[];
  versions: VersionStats[];
}

export function queryStats(
  serviceName: string,
  service: ServiceStats,
  query: ResolvedStatsQuery,
  memoryLimitOf: (version: string) => number | undefined,
  nowMs: number,
): StatsReport {
  const sources = sourcesOf(service, query, memoryLimitOf);
  const sinceSec = Math.floor(query.sinceMs / 1000);
  const untilSec = Math.floor(query.untilMs / 1000);
  const sums = new WindowSums();
  for (const window of sources.windows) window.addTo(sums, sinceSec, untilSec);
  const total = sums.total;
  const spanMs = Math.max(1000, Math.min((untilSec + 1) * 1000, nowMs) - sinceSec * 1000);
  const report: StatsReport = {
    service: serviceName,
    version: query.version ?? null,
    instance: query.instance ?? null,
    sinceMs: sinceSec * 1000,
    untilMs: (untilSec + 1) * 1000,
    requests: { total, ...classCounts(sums), proxyErrors: sums.counts[SLOT_PROXY_ERROR] as number },
    errorRate: total === 0 ? 0 : (sums.counts[SLOT_5XX] as number) / total,
    requestsPerSecond: Math.round((total / (spanMs / 1000)) * 1000) / 1000,
    latencyMs: summarize(sums.latency),
    resources: resourcesOf(sources, sinceSec, untilSec),
    restarts: restartsOf(sources.instances, sinceSec * 1000, (untilSec + 1) * 1000),
  };
  if (query.series) report.series = seriesOf(sources, sinceSec, untilSec);
  if (query.recent > 0)
    report.recent = recentOf(sources.versions, query, sinceSec * 1000, (untilSec + 1) * 1000);
  return report;
}

function sourcesOf(
  service: ServiceStats,
  query: ResolvedStatsQuery,
  memoryLimitOf: (v: string) => number | undefined,
): Sources {
  const sources: Sources = { windows: [], resources: [], instances: [], versions: [] };
  const versions =
    query.version === undefined ? [...service.versions.values()] : [service.versions.get(query.version)];
  if (query.version === undefined) sources.windows.push(service.unrouted);
  for (const version of versions) {
    if (!version) continue;
    sources.versions.push(version);
    const memoryLimitBytes = memoryLimitOf(version.name);
    if (query.instance === undefined) sources.windows.push(version.window);
    for (const [index, instance] of version.instances) {
      if (query.instance !== undefined && index !== query.instance) continue;
      if (query.instance !== undefined) sources.windows.push(instance.window);
      sources.instances.push(instance);
      sources.resources.push({ window: instance.resources, memoryLimitBytes });
    }
  }
  return sources;
}

function classCounts(sums: WindowSums) {
  return {
    '2xx': sums.counts[SLOT_2XX] as number,
    '3xx': sums.counts[SLOT_3XX] as number,
    '4xx': sums.counts[SLOT_4XX] as number,
    '5xx': sums.counts[SLOT_5XX] as number,
  };
}

function resourcesOf(sources: Sources, sinceSec: number, untilSec: number): StatsReport['resources'] {
  let all: ResourceSums = emptyResourceSums();
  let maxMemoryRatio: number | null = null;
  for (const { window, memoryLimitBytes } of sources.resources) {
    const one = emptyResourceSums();
    window.addTo(one, sinceSec, untilSec);
    if (memoryLimitBytes && one.samples > 0)
      maxMemoryRatio = Math.max(maxMemoryRatio ?? 0, one.maxMemoryBytes / memoryLimitBytes);
    all = {
      samples: all.samples + one.samples,
      cpuRatioSum: all.cpuRatioSum + one.cpuRatioSum,
      maxCpuRatio: Math.max(all.maxCpuRatio, one.maxCpuRatio),
      maxMemoryBytes: Math.max(all.maxMemoryBytes, one.maxMemoryBytes),
    };
  }
  if (all.samples === 0) return null;
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    maxMemoryBytes: all.maxMemoryBytes,
    maxMemoryRatio: maxMemoryRatio === null ? null : round(maxMemoryRatio),
    maxCpuRatio: round(all.maxCpuRatio),
    meanCpuRatio: round(all.cpuRatioSum / all.samples),
    samples: all.samples,
  };
}

function restartsOf(instances: InstanceStats[], sinceMs: number, untilMs: number): StatsReport['restarts'] {
  let inWindow = 0;
  let total = 0;
  for (const instance of instances) {
    total += instance.restarts;
    for (const t of instance.restartTimesMs) if (t >= sinceMs && t < untilMs) inWindow++;
  }
  return { inWindow, total };
}

function seriesOf(sources: Sources, sinceSec: number, untilSec: number): SecondPoint[] {
  const points: SecondPoint[] = [];
  const sums = new WindowSums();
  for (let sec = sinceSec; sec <= untilSec; sec++) {
    sums.reset();
    for (const window of sources.windows) window.addTo(sums, sec, sec);
    const resources = emptyResourceSums();
    for (const { window } of sources.resources) window.addTo(resources, sec, sec);
    points.push({
      tMs: sec * 1000,
      requests: sums.total,
      ...classCounts(sums),
      proxyErrors: sums.counts[SLOT_PROXY_ERROR] as number,
      latencyMs: summarize(sums.latency),
      cpuRatio: resources.samples > 0 ? Math.round(resources.maxCpuRatio * 10_000) / 10_000 : null,
      memoryBytes: resources.samples > 0 ? resources.maxMemoryBytes : null,
    });
  }
  return points;
}

function recentOf(
  versions: VersionStats[],
  query: ResolvedStatsQuery,
  sinceMs: number,
  untilMs: number,
): RecentRequest[] {
  const merged: RecentRequest[] = [];
  for (const version of versions)
    merged.push(...version.recent.collect(version.name, sinceMs, untilMs, query.recent, query.instance));
  merged.sort((a, b) => a.tMs - b.tMs);
  return merged.slice(-query.recent);
}
