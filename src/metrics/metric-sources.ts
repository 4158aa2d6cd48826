// Which source each metric of a plan is read from: Prometheus for the names declared under
// analysis.prometheus.metrics, gantry-proxy's statistics for the other builtin names.

import { isBuiltinMetric } from '../analysis/metrics-catalogue.js';
import type { MetricSource } from './metric-source.js';

export interface MetricSources {
  sourceFor(metric: string): MetricSource | undefined;
}

export function metricSources(
  builtin: MetricSource | undefined,
  prometheus: MetricSource | undefined,
  declared: readonly string[],
): MetricSources {
  const fromPrometheus = new Set(declared);
  return {
    sourceFor(metric) {
      if (fromPrometheus.has(metric)) return prometheus;
      return isBuiltinMetric(metric) ? builtin : undefined;
    },
  };
}
