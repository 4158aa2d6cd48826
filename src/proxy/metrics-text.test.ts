import { describe, expect, it } from 'vitest';
import { renderMetrics } from './metrics-text.js';

describe('Prometheus text', () => {
  it('renders counters, cumulative buckets, gauges and weights with escaped labels', () => {
    const text = renderMetrics({
      instances: [
        {
          service: 'shop',
          version: 'v"2',
          instance: 0,
          totals: [3, 0, 1, 2],
          buckets: [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4],
          durationSumSec: 12.5,
          memoryBytes: 1024,
          cpuRatio: 0.25,
          restarts: 1,
        },
      ],
      weights: [{ service: 'shop', version: 'v"2', weight: 0.5 }],
    });
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const labels = 'service="shop",version="v\\"2",instance="0"';
    expect(lines).toEqual([
      `gantry_proxy_requests_total{${labels},code_class="2xx"} 3`,
      `gantry_proxy_requests_total{${labels},code_class="3xx"} 0`,
      `gantry_proxy_requests_total{${labels},code_class="4xx"} 1`,
      `gantry_proxy_requests_total{${labels},code_class="5xx"} 2`,
      ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10'].map(
        (le, i) => `gantry_proxy_request_duration_seconds_bucket{${labels},le="${le}"} ${i === 0 ? 1 : 2}`,
      ),
      `gantry_proxy_request_duration_seconds_bucket{${labels},le="+Inf"} 6`,
      `gantry_proxy_request_duration_seconds_sum{${labels}} 12.5`,
      `gantry_proxy_request_duration_seconds_count{${labels}} 6`,
      `gantry_proxy_instance_memory_bytes{${labels}} 1024`,
      `gantry_proxy_instance_cpu_ratio{${labels}} 0.25`,
      `gantry_proxy_instance_restarts_total{${labels}} 1`,
      'gantry_proxy_version_weight{service="shop",version="v\\"2"} 0.5',
    ]);
    expect(text).toContain('# TYPE gantry_proxy_request_duration_seconds histogram');
  });
});
