// Gathers what /metrics shows from the statistics and the live services: counters of every instance the
// proxy has served (kept after it stops, as counters must be), gauges only for running ones, and weights.

import type { InstanceMetrics, MetricsView } from './metrics-text.js';
import type { Service } from './model/service.js';
import type { StatsStore } from './stats/stats-store.js';

export function metricsViewOf(
  stats: StatsStore,
  serviceOf: (name: string) => Service | undefined,
): MetricsView {
  const instances: InstanceMetrics[] = [];
  const weights: MetricsView['weights'] = [];
  for (const [serviceName, serviceStats] of stats.services) {
    const service = serviceOf(serviceName);
    for (const version of service?.versions.values() ?? []) {
      weights.push({
        service: serviceName,
        version: version.name,
        weight: service?.weightOf(version.name) ?? 0,
      });
    }
    for (const [versionName, versionStats] of serviceStats.versions) {
      const live = service?.versions.get(versionName);
      for (const [index, s] of versionStats.instances) {
        const running = live?.instances.some(
          (i) => i.index === index && i.status !== 'stopped' && i.status !== 'crashed',
        );
        instances.push({
          service: serviceName,
          version: versionName,
          instance: index,
          totals: s.totals,
          buckets: s.buckets,
          durationSumSec: s.durationSumSec,
          memoryBytes: running ? s.resources.latestMemoryBytes : null,
          cpuRatio: running ? s.resources.latestCpuRatio : null,
          restarts: s.restarts,
        });
      }
    }
  }
  return { instances, weights };
}
