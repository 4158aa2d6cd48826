// The metrics Gantry measures itself (from gantry-proxy statistics). Rules may name other metrics too
// (Prometheus later); this list lets the parser catch near-miss typos and thresholds in the wrong unit.

import type { Unit } from './rule.js';

/** What a metric's values are, and so which units a threshold for it may carry. */
export type MetricKind = 'percent' | 'time' | 'size-or-percent' | 'count' | 'rate';

export interface BuiltinMetric {
  kind: MetricKind;
  description: string;
}

export const BUILTIN_METRICS = {
  error_rate: { kind: 'percent', description: 'Share of responses with a 5xx status.' },
  errors: {
    kind: 'count',
    description: 'Responses with a 5xx status in the window ("errors > 100 for 5m").',
  },
  request_rate: { kind: 'rate', description: 'Requests per second.' },
  p50_latency: { kind: 'time', description: 'Median response time.' },
  p95_latency: { kind: 'time', description: '95th-percentile response time.' },
  p99_latency: { kind: 'time', description: '99th-percentile response time.' },
  latency: { kind: 'time', description: 'Response time of single requests (use with "for N requests").' },
  memory: { kind: 'size-or-percent', description: 'Resident memory, in bytes or % of the memory limit.' },
  memory_growth: {
    kind: 'percent',
    description:
      'Growth of resident memory per hour, in % of the memory limit (of the machine without one): the trend of the window\'s samples, for a window such as "for 30m".',
  },
  cpu: { kind: 'percent', description: 'Process CPU use, % of one core.' },
  restarts: { kind: 'count', description: 'Instance restarts by the supervisor.' },
} as const satisfies Record<string, BuiltinMetric>;

export type BuiltinMetricName = keyof typeof BUILTIN_METRICS;
export const BUILTIN_METRIC_NAMES = Object.keys(BUILTIN_METRICS) as BuiltinMetricName[];

export function isBuiltinMetric(name: string): name is BuiltinMetricName {
  return Object.hasOwn(BUILTIN_METRICS, name);
}

const UNITS_OF_KIND: Record<MetricKind, readonly (Unit | null)[]> = {
  percent: ['%'],
  time: ['ms', 's', 'm', 'h'],
  'size-or-percent': ['%', 'B', 'KiB', 'MiB', 'GiB'],
  count: [null],
  rate: [null],
};

/** The units a threshold for this metric may use; `null` stands for a bare number. */
export function unitsFor(kind: MetricKind): readonly (Unit | null)[] {
  return UNITS_OF_KIND[kind];
}

/** How to write a threshold for this kind, for messages: "a time such as 500ms". */
export function exampleFor(kind: MetricKind): string {
  switch (kind) {
    case 'percent':
      return 'a percentage such as 1%';
    case 'time':
      return 'a time such as 500ms or 3s';
    case 'size-or-percent':
      return 'a percentage such as 90% or a size such as 512MiB';
    case 'count':
      return 'a plain number such as 3';
    case 'rate':
      return 'a plain number of requests per second such as 100';
  }
}
