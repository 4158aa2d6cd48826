// gantry-proxy statistics over the admin API and Prometheus text, checked against the traffic the test sent.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareService, type ProxyProcess, sampleSpec, withProxy } from './support/proxy-harness.js';
import { fire, sleep } from './support/proxy-load.js';

let proxy: ProxyProcess & { cleanup(): Promise<void> };

beforeAll(async () => {
  proxy = await withProxy(['--metrics', '127.0.0.1:0']);
});

afterAll(async () => {
  await proxy?.cleanup();
});

describe('gantry-proxy statistics', () => {
  it('counts the requests and error rate of a window exactly as sent, and nothing outside it', async () => {
    const url = await declareService(proxy.client, 'counts');
    await proxy.client.startVersion('counts', 'v1', sampleSpec({ instances: 2 }));
    await proxy.client.setWeights('counts', { v1: 100 });
    const before = Date.now() - 1000;
    await sleep(1100);
    const sinceMs = Date.now();
    await fire(url, 150);
    await fire(url, 50, { path: '/status/503', ok: () => true });
    await fire(url, 20, { path: '/status/404', ok: () => true });
    const stats = await proxy.client.stats('counts', { version: 'v1', sinceMs, series: true, recent: 500 });
    expect(stats.requests).toEqual({
      total: 220,
      '2xx': 150,
      '3xx': 0,
      '4xx': 20,
      '5xx': 50,
      proxyErrors: 0,
    });
    expect(stats.errorRate).toBeCloseTo(50 / 220, 10);
    expect(stats.series?.reduce((sum, point) => sum + point.requests, 0)).toBe(220);
    expect(stats.recent).toHaveLength(220);
    expect(stats.recent?.filter((r) => r.status === 503)).toHaveLength(50);
    const perInstance = await Promise.all(
      [0, 1].map((instance) => proxy.client.stats('counts', { version: 'v1', instance, sinceMs })),
    );
    expect(perInstance.map((s) => s.requests.total).reduce((a, b) => a + b)).toBe(220);
    const earlier = await proxy.client.stats('counts', {
      version: 'v1',
      sinceMs: before - 5000,
      untilMs: before,
    });
    expect(earlier.requests.total).toBe(0);
    expect(earlier.latencyMs).toBeNull();
  });

  it('reports latency percentiles near 300 ms for a FAULT=latency:300 version, and each request in the ring', async () => {
    const url = await declareService(proxy.client, 'slow');
    await proxy.client.startVersion('slow', 'v1', sampleSpec({ env: { FAULT: 'latency:300' } }));
    await proxy.client.setWeights('slow', { v1: 100 });
    const sinceMs = Date.now();
    await fire(url, 40, { concurrency: 20 });
    const stats = await proxy.client.stats('slow', { version: 'v1', sinceMs, recent: 10 });
    expect(stats.latencyMs?.p50).toBeGreaterThanOrEqual(295);
    expect(stats.latencyMs?.p50).toBeLessThan(450);
    expect(stats.latencyMs?.p99).toBeLessThan(800);
    expect(stats.recent).toHaveLength(10);
    for (const request of stats.recent ?? []) expect(request.latencyMs).toBeGreaterThanOrEqual(299);
  });

  it('samples CPU and memory of instances and reports the memory ratio against the declared limit', async () => {
    const url = await declareService(proxy.client, 'resources');
    await proxy.client.startVersion('resources', 'v1', sampleSpec({ memoryLimitBytes: 512 * 1024 * 1024 }));
    await proxy.client.setWeights('resources', { v1: 100 });
    await fire(url, 200);
    await sleep(2300);
    const stats = await proxy.client.stats('resources', { version: 'v1', sinceMs: Date.now() - 5000 });
    expect(stats.resources?.samples).toBeGreaterThanOrEqual(2);
    expect(stats.resources?.maxMemoryBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(stats.resources?.maxMemoryRatio).toBeCloseTo(
      (stats.resources?.maxMemoryBytes ?? 0) / (512 * 1024 * 1024),
      3,
    );
    expect(stats.resources?.maxCpuRatio).toBeGreaterThanOrEqual(0);
  });

  it('serves Prometheus text that parses, on the admin API and the unauthenticated --metrics listener', async () => {
    const url = await declareService(proxy.client, 'prom');
    await proxy.client.startVersion('prom', 'v1', sampleSpec());
    await proxy.client.setWeights('prom', { v1: 99.5 });
    await fire(url, 30);
    await fire(url, 5, { path: '/status/500', ok: () => true });
    await sleep(1200);
    const text = await proxy.client.metrics();
    const samples = parsePrometheus(text);
    const key = 'service="prom",version="v1",instance="0"';
    expect(samples.get(`gantry_proxy_requests_total{${key},code_class="2xx"}`)).toBe(30);
    expect(samples.get(`gantry_proxy_requests_total{${key},code_class="5xx"}`)).toBe(5);
    expect(samples.get(`gantry_proxy_request_duration_seconds_bucket{${key},le="+Inf"}`)).toBe(35);
    expect(samples.get(`gantry_proxy_request_duration_seconds_count{${key}}`)).toBe(35);
    expect(samples.get('gantry_proxy_version_weight{service="prom",version="v1"}')).toBe(99.5);
    expect(samples.get(`gantry_proxy_instance_restarts_total{${key}}`)).toBe(0);
    expect(samples.get(`gantry_proxy_instance_memory_bytes{${key}}`)).toBeGreaterThan(0);
    expect(samples.has(`gantry_proxy_instance_cpu_ratio{${key}}`)).toBe(true);
    const address = /metrics: +http:\/\/(\S+)\/metrics/.exec(proxy.output())?.[1];
    const open = await fetch(`http://${address}/metrics`);
    expect(open.status).toBe(200);
    expect(
      parsePrometheus(await open.text()).get(`gantry_proxy_requests_total{${key},code_class="2xx"}`),
    ).toBeGreaterThanOrEqual(30);
  });
});

/** Every sample of a Prometheus text exposition by `name{labels}`; throws on a line that is not valid. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+]+|\+Inf|NaN)$/.exec(
        line,
      );
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    samples.set(match[1] as string, Number(match[2]));
  }
  return samples;
}
