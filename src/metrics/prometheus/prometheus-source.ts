// The Prometheus metric source: each named metric is a PromQL template, asked as an instant query over the
// rule's window (templates with {{window}}) or as a range query for series. A failed query, no series, NaN
// or several series are measurements with phase `error`/`nodata`, never exceptions.

import type {
  Measurement,
  MetricQuery,
  MetricSource,
  MetricUnit,
  SeriesMeasurement,
} from '../metric-source.js';
import type { PromApi, PromResult } from './prom-api.js';
import { renderPromql, usesWindow } from './promql-template.js';

export interface PromMetric {
  query: string;
  /** Requests behind the value over {{window}}. */
  requests?: string;
}

export interface PrometheusSourceOptions {
  api: PromApi;
  metrics: Readonly<Record<string, PromMetric>>;
  service: string;
  environment: string;
  /** {{window}} of rules without a duration. */
  windowMs: number;
}

/** Range queries aim at about this many points. */
const POINTS = 60;

export class PrometheusSource implements MetricSource {
  readonly kind = 'prometheus';
  readonly instantWindowMs: number;

  constructor(private readonly options: PrometheusSourceOptions) {
    this.instantWindowMs = options.windowMs;
  }

  shapeOf(metric: string): 'window' | 'gauge' {
    const template = this.options.metrics[metric]?.query ?? '';
    return usesWindow(template) ? 'window' : 'gauge';
  }

  async value(q: MetricQuery, signal?: AbortSignal): Promise<Measurement> {
    const definition = this.options.metrics[q.metric];
    const promql = definition ? this.render(definition.query, q, q.untilMs - q.sinceMs) : '';
    const base = {
      metric: q.metric,
      role: q.role,
      version: q.version,
      query: promql,
      sinceMs: q.sinceMs,
      untilMs: q.untilMs,
    };
    if (!definition)
      return {
        ...base,
        phase: 'error',
        message: `${q.metric} is not declared under analysis.prometheus.metrics`,
      };
    const single = oneValue(await this.options.api.query(promql, q.untilMs / 1000, signal));
    if ('phase' in single) return { ...base, ...single };
    const value = convert(single.value, q.unit);
    if (!definition.requests) return { ...base, phase: 'ok', value };
    const countQuery = this.render(definition.requests, q, q.untilMs - q.sinceMs);
    const count = oneValue(await this.options.api.query(countQuery, q.untilMs / 1000, signal));
    const query = `${promql}  /  requests: ${countQuery}`;
    if ('phase' in count) return { ...base, query, ...count, message: `requests: ${count.message}` };
    return { ...base, query, phase: 'ok', value, requests: Math.round(count.value) };
  }

  async series(q: MetricQuery, signal?: AbortSignal): Promise<SeriesMeasurement> {
    const definition = this.options.metrics[q.metric];
    const stepMs = Math.max(1000, Math.round((q.untilMs - q.sinceMs) / POINTS / 1000) * 1000);
    const promql = definition ? this.render(definition.query, q, stepMs) : '';
    const base = {
      metric: q.metric,
      role: q.role,
      version: q.version,
      query: promql,
      sinceMs: q.sinceMs,
      untilMs: q.untilMs,
    };
    if (!definition)
      return {
        ...base,
        phase: 'error',
        message: `${q.metric} is not declared under analysis.prometheus.metrics`,
      };
    // Each point covers the step before it, so the first one ends a step after the window starts.
    const range = [(q.sinceMs + stepMs) / 1000, q.untilMs / 1000, stepMs / 1000] as const;
    const values = oneSeries(await this.options.api.queryRange(promql, ...range, signal));
    if ('phase' in values) return { ...base, ...values };
    let requests: Map<number, number> | undefined;
    if (definition.requests) {
      const counted = oneSeries(
        await this.options.api.queryRange(this.render(definition.requests, q, stepMs), ...range, signal),
      );
      if ('phase' in counted) return { ...base, ...counted, message: `requests: ${counted.message}` };
      requests = new Map(counted.points);
    }
    const points = values.points
      .filter(([, value]) => Number.isFinite(value))
      .map(([t, value]) => ({
        tMs: t * 1000,
        value: convert(value, q.unit),
        ...(requests ? { requests: Math.round(requests.get(t) ?? 0) } : {}),
      }));
    return { ...base, phase: 'ok', points };
  }

  private render(template: string, q: MetricQuery, windowMs: number): string {
    const { service, environment } = this.options;
    return renderPromql(template, { service, environment, version: q.version, role: q.role, windowMs });
  }
}

type Failure = { phase: 'error' | 'nodata'; message: string };

function oneSeries(result: PromResult): { points: Array<[number, number]> } | Failure {
  if (!result.ok) return { phase: 'error', message: result.message };
  if (result.series.length === 0) return { phase: 'nodata', message: 'the query returned no series' };
  if (result.series.length > 1) {
    const sample = JSON.stringify(result.series[0]?.labels ?? {});
    return {
      phase: 'error',
      message: `the query returned ${result.series.length} series (such as ${sample}): aggregate them, e.g. with sum(…) or max(…)`,
    };
  }
  return { points: result.series[0]?.points ?? [] };
}

function oneValue(result: PromResult): { value: number } | Failure {
  const series = oneSeries(result);
  if ('phase' in series) return series;
  const last = series.points.at(-1);
  if (!last) return { phase: 'nodata', message: 'the query returned no sample' };
  if (!Number.isFinite(last[1]))
    return { phase: 'nodata', message: `the query returned ${last[1]} (no requests in the window?)` };
  return { value: last[1] };
}

/** Prometheus keeps times in seconds; analysis in milliseconds. */
function convert(value: number, unit: MetricUnit): number {
  return unit === 'ms' ? value * 1000 : value;
}
