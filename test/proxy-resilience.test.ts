// gantry-proxy under change and failure: no request may fail while weights shift, versions scale or stop,
// or an instance dies. Real processes, real HTTP, steady load on loopback.

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGantryError } from '../src/errors.js';
import { declareService, type ProxyProcess, sampleSpec, withProxy } from './support/proxy-harness.js';
import { sleep, steadyLoad } from './support/proxy-load.js';

let proxy: ProxyProcess & { cleanup(): Promise<void> };

beforeAll(async () => {
  proxy = await withProxy();
});

afterAll(async () => {
  await proxy?.cleanup();
});

describe('gantry-proxy under change', () => {
  it('loses no request through a whole canary: start, 5%, 50%, 100%, stop the old version', async () => {
    const url = await declareService(proxy.client, 'canary');
    await proxy.client.startVersion('canary', 'v1', sampleSpec({ instances: 2 }));
    await proxy.client.setWeights('canary', { v1: 100 });
    const load = steadyLoad(url, { ratePerSec: 300, path: '/slow?ms=20' });
    await proxy.client.startVersion('canary', 'v2', sampleSpec({ instances: 2 }));
    for (const v2 of [5, 50, 100]) {
      await proxy.client.setWeights('canary', { v1: 100 - v2, v2 });
      await sleep(300);
    }
    await proxy.client.stopVersion('canary', 'v1');
    await sleep(300);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.sent).toBeGreaterThan(300);
    expect(result.byVersion.v2).toBeGreaterThan(0);
  });

  it('drains a stopped version: in-flight slow requests finish and none fails', async () => {
    const url = await declareService(proxy.client, 'drain');
    await proxy.client.startVersion('drain', 'v1', sampleSpec({ instances: 2 }));
    await proxy.client.startVersion('drain', 'v2', sampleSpec({ instances: 2 }));
    await proxy.client.setWeights('drain', { v1: 50, v2: 50 });
    const load = steadyLoad(url, { ratePerSec: 200, path: '/slow?ms=400' });
    await sleep(600);
    // v2 still has weight 50 here: stopping it takes it out of rotation and waits for its in-flight requests.
    await proxy.client.stopVersion('drain', 'v2');
    await sleep(300);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.byVersion.v2).toBeGreaterThan(0);
    expect((await proxy.client.getService('drain')).versions.map((v) => v.version)).toEqual(['v1']);
  });

  it('scales a version up and down under load (a rolling update) with no failed request', async () => {
    const url = await declareService(proxy.client, 'rolling');
    await proxy.client.startVersion('rolling', 'v1', sampleSpec({ instances: 2 }));
    await proxy.client.setWeights('rolling', { v1: 100 });
    const load = steadyLoad(url, { ratePerSec: 200, path: '/slow?ms=50' });
    await proxy.client.startVersion('rolling', 'v2', sampleSpec({ instances: 1 }));
    await proxy.client.setWeights('rolling', { v1: 2, v2: 1 });
    await proxy.client.scaleVersion('rolling', 'v1', 1);
    await proxy.client.scaleVersion('rolling', 'v2', 2);
    await proxy.client.setWeights('rolling', { v1: 1, v2: 2 });
    await proxy.client.scaleVersion('rolling', 'v1', 0);
    await proxy.client.setWeights('rolling', { v2: 1 });
    await sleep(300);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    const state = await proxy.client.getService('rolling');
    expect(state.versions.map((v) => [v.version, v.instances.length])).toEqual([
      ['v1', 0],
      ['v2', 2],
    ]);
  });
});

describe('gantry-proxy under failure', () => {
  it('retries GETs on another instance when one is killed, so no GET fails, and restarts the killed one', async () => {
    const url = await declareService(proxy.client, 'kill');
    const started = await proxy.client.startVersion('kill', 'v1', sampleSpec({ instances: 2 }));
    await proxy.client.setWeights('kill', { v1: 100 });
    const load = steadyLoad(url, { ratePerSec: 300 });
    await sleep(400);
    const victim = started.instances[0]?.pid as number;
    process.kill(-victim, 'SIGKILL');
    await sleep(800);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    const state = await proxy.client.getVersion('kill', 'v1');
    expect(state.instances[0]?.restarts).toBe(1);
    expect(state.instances[0]?.pid).not.toBe(victim);
  });

  it('restarts a crashing instance with growing delays and counts every restart', async () => {
    await declareService(proxy.client, 'crash');
    await proxy.client.startVersion('crash', 'v1', sampleSpec({ env: { FAULT: 'crash:0.3' } }));
    await proxy.client.setWeights('crash', { v1: 100 });
    // Runs last ~0.3 s plus start-up; the delays between them grow 0.5, 1, 2 s: three restarts take seconds.
    const startedAt = Date.now();
    let state = await proxy.client.getVersion('crash', 'v1');
    while ((state.instances[0]?.restarts ?? 0) < 3 && Date.now() - startedAt < 20_000) {
      await sleep(200);
      state = await proxy.client.getVersion('crash', 'v1');
    }
    const restarts = state.instances[0]?.restarts ?? 0;
    expect(restarts).toBe(3);
    expect(Date.now() - startedAt).toBeGreaterThan(3000);
    const stats = await proxy.client.stats('crash', { version: 'v1', sinceMs: Date.now() - 10_000 });
    expect(stats.restarts.total).toBe(restarts);
    const log = await readFile(state.instances[0]?.logPath as string, 'utf8');
    const times = [...log.matchAll(/--- gantry-proxy (\S+): starting/g)].map((m) =>
      Date.parse(m[1] as string),
    );
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    expect(gaps[gaps.length - 1]).toBeGreaterThan((gaps[0] as number) + 300);
    expect(await proxy.client.metrics()).toMatch(
      new RegExp(
        `gantry_proxy_instance_restarts_total\\{service="crash",version="v1",instance="0"\\} ${restarts}`,
      ),
    );
  });

  it('fails a start naming the instance that did not become healthy and quoting its log', async () => {
    await declareService(proxy.client, 'broken');
    const failure = await proxy.client
      .startVersion('broken', 'v1', {
        command: 'echo "config file missing: /etc/app.toml" >&2; exit 3',
        instances: 2,
        health: { path: '/health' },
      })
      .catch((error: unknown) => error);
    expect(isGantryError(failure, 'GANTRY_TARGET')).toBe(true);
    const error = failure as Error & { context: Record<string, unknown>; hint: string };
    expect(error.message).toMatch(/instance v1-[01] exited with code 3 before passing GET \/health/);
    expect(error.message).toContain('config file missing: /etc/app.toml');
    expect(error.context.logTail).toContain('config file missing');
    expect(error.hint).toContain('.log');
    expect((await proxy.client.getVersion('broken', 'v1')).status).toBe('failed');
  });
});
