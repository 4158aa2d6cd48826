// Time series a deployment's events hold: traffic weights, each metric's measurements, and the analysis
// decisions with their explanations. Field names follow src/deployment/events.ts; measurements carry
// `metric` and `value` (in the unit of the metric's bands), optionally `role` (canary, stable).

import type { JournalEvent } from '../api.js';

export interface WeightPoint {
  at: number;
  weightPct: number;
}

export interface MetricSeries {
  metric: string;
  /** Seconds since the epoch, and values by role ("canary", "stable"). */
  times: number[];
  roles: Map<string, Array<number | null>>;
}

export interface Decision {
  index: number;
  at: number;
  tier: string;
  metric: string | undefined;
  explanation: string;
  rule: string | undefined;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

export function weightsOf(events: readonly JournalEvent[]): WeightPoint[] {
  const points: WeightPoint[] = [];
  for (const event of events)
    if (event.type === 'weight.set')
      points.push({ at: seconds(event.at), weightPct: Number(event.data.weightPct) });
  return points;
}

export function metricsOf(events: readonly JournalEvent[]): MetricSeries[] {
  const byMetric = new Map<string, MetricSeries>();
  for (const event of events) {
    if (event.type !== 'analysis.measurement') continue;
    const metric = String(event.data.metric ?? '');
    const value = Number(event.data.value);
    if (!metric || !Number.isFinite(value)) continue;
    const role = String(event.data.role ?? 'canary');
    let series = byMetric.get(metric);
    if (!series) {
      series = { metric, times: [], roles: new Map() };
      byMetric.set(metric, series);
    }
    const at = seconds(event.at);
    let column = series.roles.get(role);
    if (!column) {
      column = series.times.map(() => null);
      series.roles.set(role, column);
    }
    // Measurements of several roles at the same second share one x value.
    if (series.times.at(-1) !== at) {
      series.times.push(at);
      for (const values of series.roles.values()) values.push(null);
    }
    column[column.length - 1] = value;
  }
  return [...byMetric.values()];
}

export function decisionsOf(events: readonly JournalEvent[]): Decision[] {
  const decisions: Decision[] = [];
  for (const event of events) {
    if (event.type !== 'analysis.decision') continue;
    decisions.push({
      index: event.index,
      at: seconds(event.at),
      tier: String(event.data.tier ?? ''),
      metric: metricOfDecision(event.data),
      explanation: String(event.data.explanation ?? event.data.reason ?? ''),
      rule: typeof event.data.rule === 'string' ? event.data.rule : undefined,
    });
  }
  return decisions;
}

/** The metric a decision is about: named directly, or in its evidence (the rule's left side). */
function metricOfDecision(data: Record<string, unknown>): string | undefined {
  if (typeof data.metric === 'string') return data.metric;
  const evidence = data.evidence as { left?: { metric?: unknown } } | undefined;
  return typeof evidence?.left?.metric === 'string' ? evidence.left.metric : undefined;
}
