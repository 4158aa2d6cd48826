import { describe, expect, it } from 'vitest';
import type { PromApi, PromResult } from './prom-api.js';
import { PrometheusSource } from './prometheus-source.js';
import { promDuration, renderPromql } from './promql-template.js';

function source(answer: (promql: string) => PromResult) {
  const asked: string[] = [];
  const api: PromApi = {
    query: async (promql) => {
      asked.push(promql);
      return answer(promql);
    },
    queryRange: async (promql) => {
      asked.push(promql);
      return answer(promql);
    },
  };
  const prometheus = new PrometheusSource({
    api,
    service: 'shop',
    environment: 'prod',
    windowMs: 60_000,
    metrics: {
      error_rate: {
        query: 'rate(e{v="{{version}}",r="{{role}}"}[{{window}}])',
        requests: 'increase(r{v="{{version}}"}[{{window}}])',
      },
      p95_latency: { query: 'histogram_quantile(0.95, x{s="{{service}}.{{environment}}"})' },
    },
  });
  return { prometheus, asked };
}

const query = {
  metric: 'error_rate',
  role: 'canary' as const,
  version: 'v3',
  unit: 'ratio' as const,
  sinceMs: 0,
  untilMs: 120_000,
};
const one = (value: number): PromResult => ({ ok: true, series: [{ labels: {}, points: [[120, value]] }] });

describe('the Prometheus source', () => {
  it('fills in the template and reads the value with its request count', async () => {
    const { prometheus, asked } = source((promql) => one(promql.startsWith('rate') ? 0.05 : 1204.4));
    const measured = await prometheus.value(query);
    expect(asked).toEqual(['rate(e{v="v3",r="canary"}[120s])', 'increase(r{v="v3"}[120s])']);
    expect(measured).toMatchObject({ phase: 'ok', value: 0.05, requests: 1204 });
  });

  it('converts seconds to milliseconds for time metrics', async () => {
    const { prometheus } = source(() => one(0.25));
    const measured = await prometheus.value({ ...query, metric: 'p95_latency', unit: 'ms' });
    expect(measured).toMatchObject({
      phase: 'ok',
      value: 250,
      query: 'histogram_quantile(0.95, x{s="shop.prod"})',
    });
  });

  it('makes failures, empty answers, NaN and several series measurements, not exceptions', async () => {
    const failed = await source(() => ({
      ok: false,
      message: 'Prometheus at http://p:9090 unreachable: ECONNREFUSED',
    })).prometheus.value(query);
    expect(failed).toMatchObject({
      phase: 'error',
      message: 'Prometheus at http://p:9090 unreachable: ECONNREFUSED',
    });
    const empty = await source(() => ({ ok: true, series: [] })).prometheus.value(query);
    expect(empty).toMatchObject({ phase: 'nodata', message: 'the query returned no series' });
    const nan = await source(() => one(Number.NaN)).prometheus.value(query);
    expect(nan).toMatchObject({ phase: 'nodata' });
    const many = await source(() => ({
      ok: true,
      series: [
        { labels: { a: '1' }, points: [[1, 1]] },
        { labels: { a: '2' }, points: [[1, 1]] },
      ],
    })).prometheus.value(query);
    expect(many).toMatchObject({ phase: 'error' });
    expect(many.phase !== 'ok' && many.message).toMatch(/returned 2 series .* aggregate them/);
  });

  it('tells windowed queries from gauges', () => {
    const { prometheus } = source(() => one(1));
    expect(prometheus.shapeOf('error_rate')).toBe('window');
    expect(prometheus.shapeOf('p95_latency')).toBe('gauge');
  });

  it('writes windows as Prometheus durations', () => {
    expect(promDuration(2000)).toBe('2s');
    expect(promDuration(1500)).toBe('1500ms');
    expect(
      renderPromql('x[{{ window }}] {{unknown}}', {
        service: 's',
        environment: 'e',
        version: 'v',
        role: 'stable',
        windowMs: 300_000,
      }),
    ).toBe('x[300s] {{unknown}}');
  });
});
