// Pieces of the sentences judges write: how a side is named ("error_rate of v3") and how a threshold reads
// ("1.2 × p95_latency of v2 (410ms) = 492ms").

import type { MetricUnit } from '../metrics/metric-source.js';
import type { AnalysisRule } from './judged-rule.js';
import { canonicalValue, formatValue } from './quantities.js';
import type { SideEvidence } from './verdict.js';

export function sideName(side: Pick<SideEvidence, 'metric' | 'version'>): string {
  return `${side.metric} of ${side.version}`;
}

export function describeThreshold(
  rule: AnalysisRule,
  right: SideEvidence | undefined,
  limit: number | null,
  unit: MetricUnit,
): string {
  const { threshold } = rule;
  if (threshold.kind === 'quantity')
    return formatValue(canonicalValue(threshold.quantity), unit, rule.metric.metric);
  const scale = threshold.scale === 1 ? '' : `${threshold.scale} × `;
  const name = right ? sideName(right) : `${threshold.ref.metric}(${threshold.ref.role})`;
  const measured =
    right?.value !== null && right?.value !== undefined
      ? ` (${formatValue(right.value, unit, right.metric)})`
      : '';
  const offset = threshold.offset
    ? ` ${threshold.offset.value < 0 ? '-' : '+'} ${Math.abs(threshold.offset.value)}${threshold.offset.unit ?? ''}`
    : '';
  const result =
    limit !== null && (scale !== '' || offset !== '')
      ? ` = ${formatValue(limit, unit, rule.metric.metric)}`
      : '';
  return `${scale}${name}${measured}${offset}${result}`;
}
