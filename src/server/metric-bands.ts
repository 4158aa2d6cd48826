// The warning and critical bands of each analysed metric, read from the plan's rules: what the dashboard
// draws behind each metric's values. Thresholds are given in the unit analysis records values in:
// ratios for percentages (0.05 for 5%), milliseconds for times, bytes for sizes, plain numbers.

import type { Quantity, Rule } from '../analysis/rule.js';
import type { Plan } from '../plan/schema/plan.js';

export interface MetricBand {
  metric: string;
  role: string;
  operator: string;
  /** Threshold in the metric's base unit. */
  value: number;
  unit: 'ratio' | 'ms' | 'bytes' | 'number';
  tier: 'warn' | 'pause' | 'reduce' | 'rollback';
  /** The rule as written in the plan. */
  text: string;
}

const FACTORS: Record<string, [number, MetricBand['unit']]> = {
  '%': [0.01, 'ratio'],
  ms: [1, 'ms'],
  s: [1_000, 'ms'],
  m: [60_000, 'ms'],
  h: [3_600_000, 'ms'],
  B: [1, 'bytes'],
  KiB: [1_024, 'bytes'],
  MiB: [1_048_576, 'bytes'],
  GiB: [1_073_741_824, 'bytes'],
};

export function metricBands(plan: Plan): MetricBand[] {
  const rules: Rule[] = [...(plan.analysis?.rules ?? []), ...(plan.rollback?.automatic ?? [])];
  const bands: MetricBand[] = [];
  for (const rule of rules) {
    // A rule comparing two versions has no fixed line to draw.
    if (rule.threshold.kind !== 'quantity') continue;
    const { value, unit } = inBaseUnit(rule.threshold.quantity);
    bands.push({
      metric: rule.metric.metric,
      role: rule.metric.role,
      operator: rule.operator,
      value,
      unit,
      tier: rule.tier,
      text: rule.text,
    });
  }
  return bands;
}

function inBaseUnit(quantity: Quantity): { value: number; unit: MetricBand['unit'] } {
  const [factor, unit] = (quantity.unit && FACTORS[quantity.unit]) || [1, 'number'];
  return { value: quantity.value * factor, unit };
}
