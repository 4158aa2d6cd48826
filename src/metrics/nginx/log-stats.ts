// The nginx target's builtin statistics: its access log, fed into the same per-second windows, latency
// histograms and request ring gantry-proxy keeps, and queried the same way, so analysis reads error_rate,
// request_rate and latencies of each version from nginx exactly as it reads them from the proxy.

import type { DeploymentRuntime } from '../../engine/runtime.js';
import type { NginxTarget } from '../../plan/schema/nginx-target.js';
import type { StatsQuery, StatsReport } from '../../proxy/api.js';
import { queryStats } from '../../proxy/stats/query.js';
import { type ServiceStats, StatsStore } from '../../proxy/stats/stats-store.js';
import { nginxPaths } from '../../targets/nginx/paths.js';
import type { ProxyStats } from '../builtin/proxy-stats.js';
import { AccessLogReader } from './access-log.js';

export class NginxLogStats implements ProxyStats {
  private readonly reader: AccessLogReader;
  private readonly recorded: ServiceStats = new StatsStore().service('nginx');

  constructor(path: string) {
    this.reader = new AccessLogReader(path);
  }

  async stats(service: string, query: StatsQuery): Promise<StatsReport> {
    for (const request of await this.reader.readNew()) {
      if (request.version === '')
        this.recorded.recordUnrouted(request.status, request.latencyMs, request.tMs, false);
      else
        this.recorded
          .version(request.version)
          .record(undefined, 0, request.status, request.latencyMs, request.tMs, false);
    }
    const nowMs = Date.now();
    const untilMs = query.untilMs ?? nowMs;
    const resolved = {
      ...query,
      untilMs,
      sinceMs: query.sinceMs ?? untilMs - 60_000,
      series: query.series ?? false,
      recent: query.recent ?? 0,
    };
    return queryStats(service, this.recorded, resolved, () => undefined, nowMs);
  }
}

/** The statistics of a plan's nginx target, when it names an access log. */
export function nginxLogStatsOf(
  runtime: Pick<DeploymentRuntime, 'info' | 'planDir' | 'secrets'>,
  config: NginxTarget,
): ProxyStats | undefined {
  const path = nginxPaths(runtime, config).accessLog;
  return path ? new NginxLogStats(path) : undefined;
}
