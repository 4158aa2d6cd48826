import { describe, expect, it } from 'vitest';
import type { StatsReport } from '../../proxy/api.js';
import { readReport, readSeries } from './report-values.js';

const memory = { limitBytes: null, machineBytes: 1 };

function report(counts: { ok: number; errors: number }): StatsReport {
  const total = counts.ok + counts.errors;
  return {
    service: 'shop.production',
    version: '2.0.0',
    instance: null,
    sinceMs: 0,
    untilMs: 300_000,
    requests: { '2xx': counts.ok, '3xx': 0, '4xx': 0, '5xx': counts.errors, total, proxyErrors: 0 },
    errorRate: total === 0 ? 0 : counts.errors / total,
    requestsPerSecond: total / 300,
    latencyMs: null,
    resources: null,
    restarts: { inWindow: 0, total: 0 },
  };
}

describe('the errors metric', () => {
  it('counts the 5xx responses of the window, with the requests behind them', () => {
    expect(readReport(report({ ok: 9_880, errors: 120 }), 'errors', 'number', memory)).toEqual({
      value: 120,
      requests: 10_000,
    });
  });

  it('is zero, not missing, when nothing failed or nothing came', () => {
    expect(readReport(report({ ok: 0, errors: 0 }), 'errors', 'number', memory)).toEqual({
      value: 0,
      requests: 0,
    });
  });

  it('counts per second in a series', () => {
    const second = {
      tMs: 1_000,
      requests: 10,
      proxyErrors: 0,
      latencyMs: null,
      cpuRatio: null,
      memoryBytes: null,
    };
    const points = readSeries(
      [{ ...second, '2xx': 7, '3xx': 0, '4xx': 0, '5xx': 3 }],
      'errors',
      'number',
      memory,
    );
    expect(points).toEqual([{ tMs: 1_000, value: 3, requests: 10 }]);
  });
});
