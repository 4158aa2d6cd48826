// Which builtin metrics a plan's data plane measures: gantry-proxy all of them; nginx, from its JSON access
// log, those of requests (not of processes); a command target none, its metrics come from Prometheus.

import { isMap } from './schema-walk.js';

const REQUEST_METRICS = new Set([
  'error_rate',
  'request_rate',
  'p50_latency',
  'p95_latency',
  'p99_latency',
  'latency',
]);

/** Why `metric` cannot be read from the target's own statistics, or undefined when it can. */
export function builtinUnavailable(
  target: Record<string, unknown> | undefined,
  metric: string,
): string | undefined {
  const prometheus = `declare ${metric} under analysis.prometheus.metrics with a PromQL query`;
  if (!target || isMap(target.local)) return undefined;
  if (isMap(target.command)) {
    return `${metric} is measured by gantry-proxy or nginx, and a command target has no statistics of its own: ${prometheus} (docs/targets.md has examples for Kubernetes)`;
  }
  if (!isMap(target.nginx)) return undefined;
  if (!REQUEST_METRICS.has(metric)) {
    return `nginx's access log has requests, not processes, so it has no ${metric}: ${prometheus}`;
  }
  if (typeof target.nginx.accessLog !== 'string') {
    return `${metric} comes from nginx's access log: set target.nginx.accessLog, or ${prometheus}`;
  }
  return undefined;
}
