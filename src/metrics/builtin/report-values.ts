// Reads a builtin metric's value out of a proxy statistics report, in the unit analysis asked for.
// Pure: a report in, a value (or the reason there is none) out.

import type { SecondPoint, StatsReport } from '../../proxy/api.js';
import type { MetricPoint, MetricUnit } from '../metric-source.js';

export type Read = { value: number; requests?: number } | { missing: string };

const QUANTILE = { p50_latency: 'p50', p95_latency: 'p95', p99_latency: 'p99', latency: 'max' } as const;

export interface MemoryBasis {
  /** target.local.memoryLimit; memory percentages are of this… */
  limitBytes: number | null;
  /** …or, without one, of the machine's memory. */
  machineBytes: number;
}

export function readReport(report: StatsReport, metric: string, unit: MetricUnit, memory: MemoryBasis): Read {
  const requests = report.requests.total;
  switch (metric) {
    case 'error_rate':
      return { value: report.errorRate, requests };
    case 'errors':
      return { value: report.requests['5xx'], requests };
    case 'request_rate':
      return { value: report.requestsPerSecond, requests };
    case 'p50_latency':
    case 'p95_latency':
    case 'p99_latency':
    case 'latency': {
      if (!report.latencyMs) return { value: 0, requests: 0 };
      return { value: report.latencyMs[QUANTILE[metric]], requests };
    }
    case 'memory':
      if (!report.resources) return { missing: 'no memory sample of a running instance in the window' };
      return { value: memoryValue(report.resources.maxMemoryBytes, unit, memory) };
    case 'cpu':
      if (!report.resources) return { missing: 'no CPU sample of a running instance in the window' };
      return { value: report.resources.meanCpuRatio };
    case 'restarts':
      return { value: report.restarts.inWindow };
    default:
      return { missing: `${metric} is not a builtin metric` };
  }
}

/** The report's per-second points for a metric; seconds without data are left out. */
export function readSeries(
  series: readonly SecondPoint[],
  metric: string,
  unit: MetricUnit,
  memory: MemoryBasis,
): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const second of series) {
    const value = pointValue(second, metric, unit, memory);
    if (value === null) continue;
    points.push({ tMs: second.tMs, value, requests: second.requests });
  }
  return points;
}

function pointValue(
  second: SecondPoint,
  metric: string,
  unit: MetricUnit,
  memory: MemoryBasis,
): number | null {
  switch (metric) {
    case 'error_rate':
      return second.requests === 0 ? null : second['5xx'] / second.requests;
    case 'errors':
      return second['5xx'];
    case 'request_rate':
      return second.requests;
    case 'p50_latency':
    case 'p95_latency':
    case 'p99_latency':
    case 'latency':
      return second.latencyMs ? second.latencyMs[QUANTILE[metric]] : null;
    case 'memory':
      return second.memoryBytes === null ? null : memoryValue(second.memoryBytes, unit, memory);
    case 'cpu':
      return second.cpuRatio;
    default:
      return null;
  }
}

function memoryValue(bytes: number, unit: MetricUnit, memory: MemoryBasis): number {
  if (unit !== 'ratio') return bytes;
  return bytes / (memory.limitBytes ?? memory.machineBytes);
}
