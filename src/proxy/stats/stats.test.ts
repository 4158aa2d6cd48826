import { describe, expect, it } from 'vitest';
import { queryStats } from './query.js';
import { RecentRequests } from './recent-requests.js';
import { SecondWindow, WindowSums } from './second-window.js';
import { DEFAULT_LIMITS, ServiceStats } from './stats-store.js';

describe('per-second windows', () => {
  it('sums counters and latencies over whole seconds, including the second being filled', () => {
    const window = new SecondWindow(60);
    window.record(100, 200, 1000, false);
    window.record(100, 503, 3000, false);
    window.record(101, 502, 5000, true);
    window.record(102, 404, 2000, false);
    const sums = new WindowSums();
    window.addTo(sums, 100, 101);
    expect([...sums.counts]).toEqual([1, 0, 0, 2, 1]);
    expect(sums.latency.totalCount).toBe(3);
    expect(sums.latency.maxValue).toBeGreaterThanOrEqual(4990);
  });

  it('forgets seconds older than its capacity', () => {
    const window = new SecondWindow(10);
    window.record(100, 200, 1000, false);
    window.record(115, 200, 1000, false);
    const sums = new WindowSums();
    window.addTo(sums, 90, 115);
    expect(sums.total).toBe(1);
  });
});

describe('recent requests', () => {
  it('keeps the last N and returns those in a window, oldest first', () => {
    const ring = new RecentRequests(3);
    for (let i = 1; i <= 5; i++) ring.push(i * 1000, i, 200 + i, 0);
    expect(ring.collect('v1', 0, 10_000, 10).map((r) => r.tMs)).toEqual([3000, 4000, 5000]);
    expect(ring.collect('v1', 3500, 4500, 10)).toEqual([
      { tMs: 4000, latencyMs: 4, status: 204, version: 'v1', instance: 0 },
    ]);
  });
});

describe('stats queries', () => {
  it('reports counts, error rate, rate and percentiles of a version over a window', () => {
    const stats = new ServiceStats(DEFAULT_LIMITS);
    const v2 = stats.version('v2');
    const instance = v2.instance(0);
    for (let i = 0; i < 100; i++) v2.record(instance, 0, i < 5 ? 500 : 200, 10 + i, 50_000 + i * 10, false);
    const report = queryStats(
      'shop',
      stats,
      { version: 'v2', sinceMs: 50_000, untilMs: 51_000, series: true, recent: 2 },
      () => undefined,
      52_000,
    );
    expect(report.requests).toEqual({ total: 100, '2xx': 95, '3xx': 0, '4xx': 0, '5xx': 5, proxyErrors: 0 });
    expect(report.errorRate).toBe(0.05);
    expect(report.requestsPerSecond).toBe(50);
    expect(report.latencyMs?.p50).toBeCloseTo(59.5, 0);
    expect(report.latencyMs?.max).toBeCloseTo(109, 0);
    expect(report.series?.map((p) => p.requests)).toEqual([100, 0]);
    expect(report.recent?.map((r) => r.latencyMs)).toEqual([108, 109]);
  });
});
