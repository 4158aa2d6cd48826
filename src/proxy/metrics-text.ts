// Renders the proxy's statistics as Prometheus text exposition (format 0.0.4). Pure: a view in, text out.

import { DURATION_BUCKETS_SEC } from './stats/stats-store.js';
import { CODE_CLASSES } from './stats/status-class.js';

export interface InstanceMetrics {
  service: string;
  version: string;
  instance: number;
  /** Requests by class 2xx, 3xx, 4xx, 5xx. */
  totals: ArrayLike<number>;
  /** Per-bucket (not cumulative) counts for DURATION_BUCKETS_SEC, then +Inf. */
  buckets: ArrayLike<number>;
  durationSumSec: number;
  /** Null when the instance is not running (no sample). */
  memoryBytes: number | null;
  cpuRatio: number | null;
  restarts: number;
}

export interface MetricsView {
  instances: InstanceMetrics[];
  weights: { service: string; version: string; weight: number }[];
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function renderMetrics(view: MetricsView): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) =>
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  family(
    'gantry_proxy_requests_total',
    'counter',
    'Requests answered through the proxy, by status class (proxy-side errors count as 5xx).',
  );
  for (const m of view.instances) {
    CODE_CLASSES.forEach((codeClass, i) => {
      lines.push(
        `gantry_proxy_requests_total{${labels(m)},code_class="${codeClass}"} ${num(m.totals[i] ?? 0)}`,
      );
    });
  }
  family(
    'gantry_proxy_request_duration_seconds',
    'histogram',
    'Time from request received to response sent, through the proxy.',
  );
  for (const m of view.instances) {
    let cumulative = 0;
    DURATION_BUCKETS_SEC.forEach((le, i) => {
      cumulative += m.buckets[i] ?? 0;
      lines.push(`gantry_proxy_request_duration_seconds_bucket{${labels(m)},le="${le}"} ${num(cumulative)}`);
    });
    cumulative += m.buckets[DURATION_BUCKETS_SEC.length] ?? 0;
    lines.push(`gantry_proxy_request_duration_seconds_bucket{${labels(m)},le="+Inf"} ${num(cumulative)}`);
    lines.push(`gantry_proxy_request_duration_seconds_sum{${labels(m)}} ${num(m.durationSumSec)}`);
    lines.push(`gantry_proxy_request_duration_seconds_count{${labels(m)}} ${num(cumulative)}`);
  }
  family(
    'gantry_proxy_instance_memory_bytes',
    'gauge',
    'Resident memory of the instance and its child processes.',
  );
  for (const m of view.instances)
    if (m.memoryBytes !== null)
      lines.push(`gantry_proxy_instance_memory_bytes{${labels(m)}} ${num(m.memoryBytes)}`);
  family(
    'gantry_proxy_instance_cpu_ratio',
    'gauge',
    'CPU time used per second of wall time over the last second (1 = one core).',
  );
  for (const m of view.instances)
    if (m.cpuRatio !== null) lines.push(`gantry_proxy_instance_cpu_ratio{${labels(m)}} ${num(m.cpuRatio)}`);
  family(
    'gantry_proxy_instance_restarts_total',
    'counter',
    'Times the proxy restarted the instance after it exited or failed.',
  );
  for (const m of view.instances)
    lines.push(`gantry_proxy_instance_restarts_total{${labels(m)}} ${num(m.restarts)}`);
  family(
    'gantry_proxy_version_weight',
    'gauge',
    'Relative routing weight of the version (share = weight / sum of weights).',
  );
  for (const w of view.weights) {
    lines.push(
      `gantry_proxy_version_weight{service="${escapeLabel(w.service)}",version="${escapeLabel(w.version)}"} ${num(w.weight)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function labels(m: InstanceMetrics): string {
  return `service="${escapeLabel(m.service)}",version="${escapeLabel(m.version)}",instance="${m.instance}"`;
}

/** Label values escape backslash, double quote and newline. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function num(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(Math.round(value * 1e9) / 1e9);
}
