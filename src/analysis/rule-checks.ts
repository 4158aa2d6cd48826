// Checks on a parsed rule that need the metric catalogue: a threshold in a unit its metric is never
// measured in ("p95_latency > 500", "error_rate > 3s") would silently never or always fire.

import { BUILTIN_METRICS, exampleFor, isBuiltinMetric, unitsFor } from './metrics-catalogue.js';
import type { MetricRef, Quantity, Threshold } from './rule.js';
import { RuleSyntaxError, type Token } from './rule-tokens.js';
import { formatQuantity } from './rule-units.js';

/** Throws when a builtin metric is compared with a quantity of the wrong kind; `from`..`to` is the right side. */
export function checkThresholdUnits(metric: MetricRef, threshold: Threshold, from: Token, to: Token): void {
  if (!isBuiltinMetric(metric.metric)) return;
  const quantity: Quantity | null = threshold.kind === 'quantity' ? threshold.quantity : threshold.offset;
  if (quantity === null) return;
  const kind = BUILTIN_METRICS[metric.metric].kind;
  if (unitsFor(kind).includes(quantity.unit)) return;
  const written = formatQuantity({ ...quantity, value: Math.abs(quantity.value) });
  throw new RuleSyntaxError(
    `${metric.metric} needs ${exampleFor(kind)}, got '${written}'`,
    from.offset,
    to.offset + to.length - from.offset,
  );
}
