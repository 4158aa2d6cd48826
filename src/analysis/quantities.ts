// Values in analysis are held in one unit per kind: ratios (0.05 for 5%), milliseconds, bytes, plain
// numbers. This converts rule quantities into them and writes measured values back for people.

import type { MetricUnit } from '../metrics/metric-source.js';
import { formatDuration } from '../units/duration.js';
import { BUILTIN_METRICS, isBuiltinMetric } from './metrics-catalogue.js';
import type { Quantity, Rule, Unit } from './rule.js';

const FACTOR: Record<Unit, number> = {
  '%': 0.01,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

export function canonicalValue(quantity: Quantity): number {
  return quantity.unit === null ? quantity.value : quantity.value * FACTOR[quantity.unit];
}

function unitOfQuantityUnit(unit: Unit | null): MetricUnit {
  if (unit === '%') return 'ratio';
  if (unit === 'ms' || unit === 's' || unit === 'm' || unit === 'h') return 'ms';
  if (unit === null) return 'number';
  return 'bytes';
}

/** The unit a rule's metric is read in: from the builtin catalogue, else from the threshold's unit. */
export function unitOfRule(rule: Rule): MetricUnit {
  const written = rule.threshold.kind === 'quantity' ? rule.threshold.quantity : rule.threshold.offset;
  if (isBuiltinMetric(rule.metric.metric)) {
    switch (BUILTIN_METRICS[rule.metric.metric].kind) {
      case 'percent':
        return 'ratio';
      case 'time':
        return 'ms';
      case 'size-or-percent':
        return written?.unit === '%' ? 'ratio' : 'bytes';
      default:
        return 'number';
    }
  }
  return written ? unitOfQuantityUnit(written.unit) : 'number';
}

/** "21.4%", "412ms", "2.1s", "512MiB", "1,204", "120 req/s". */
export function formatValue(value: number, unit: MetricUnit, metric = ''): string {
  switch (unit) {
    case 'ratio':
      return `${significant(value * 100)}%`;
    case 'ms':
      return value < 1_000 ? `${significant(value)}ms` : formatDuration(value);
    case 'bytes':
      return formatBytes(value);
    case 'number':
      return `${formatCount(significant(value))}${metric === 'request_rate' ? ' req/s' : ''}`;
  }
}

/** Three significant digits, no trailing zeros: 21.43 → 21.4, 0.01234 → 0.0123, 1204 → 1204. */
function significant(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 12)));
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${significant(bytes / size)}${unit}`;
  }
  return `${Math.round(bytes)}B`;
}

/** 1204 → "1,204". */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US', { maximumFractionDigits: 3 });
}
