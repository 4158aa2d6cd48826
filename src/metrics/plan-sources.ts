// The metric sources of a deployment, built from its plan: the data plane's own statistics (gantry-proxy
// for a local target, the JSON access log for an nginx target; a command target has none), Prometheus when
// the plan declares `analysis.prometheus` (URL and credentials rendered with secrets).

import type { DeploymentRuntime } from '../engine/runtime.js';
import { renderDeep } from '../plan/template.js';
import { connectProxy } from '../proxy/ensure.js';
import { proxyServiceName } from '../targets/local/naming.js';
import { sizeBytes } from '../targets/local/version-spec.js';
import { BuiltinSource } from './builtin/builtin-source.js';
import type { ProxyStats } from './builtin/proxy-stats.js';
import { type MetricSources, metricSources } from './metric-sources.js';
import { httpPromApi } from './prometheus/http-prom-api.js';
import { PrometheusSource } from './prometheus/prometheus-source.js';

/**
 * `stats`: the data plane's statistics in gantry-proxy's shape (gantry-proxy itself, or an nginx access
 * log read as such); undefined for none (a command target, or a replay that reads only Prometheus).
 */
export function planMetricSources(
  runtime: Pick<DeploymentRuntime, 'plan' | 'info' | 'template'>,
  stats: ProxyStats | undefined,
): MetricSources {
  const { plan, info } = runtime;
  const target = plan.target;
  const local = target && 'local' in target ? target.local : undefined;
  const builtin = !stats
    ? undefined
    : local
      ? new BuiltinSource(
          stats,
          proxyServiceName(info.service, info.environment),
          local.memoryLimit ? sizeBytes(local.memoryLimit) : null,
        )
      : new BuiltinSource(stats, proxyServiceName(info.service, info.environment), null, 'nginx access log');
  const config = plan.analysis.prometheus;
  if (!config) return metricSources(builtin, undefined, []);
  const rendered = renderDeep({ url: config.url, auth: config.auth }, runtime.template);
  const prometheus = new PrometheusSource({
    api: httpPromApi({ url: rendered.url, auth: rendered.auth, timeoutMs: config.timeout }),
    metrics: config.metrics,
    service: info.service,
    environment: info.environment,
    windowMs: config.window,
  });
  return metricSources(builtin, prometheus, Object.keys(config.metrics));
}

/** Statistics of the proxy of a state directory, connected on first use (the target starts the proxy). */
export function proxyStatsOf(home: string): ProxyStats {
  let client: Awaited<ReturnType<typeof connectProxy>>;
  return {
    async stats(service, query) {
      client ??= await connectProxy(home);
      if (!client) throw new Error(`no gantry-proxy answers for ${home}`);
      return client.stats(service, query);
    },
  };
}
