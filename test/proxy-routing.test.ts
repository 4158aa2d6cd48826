// gantry-proxy routing, end to end: a real proxy process, real sample-app instances, real HTTP on loopback.

import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { declareService, type ProxyProcess, sampleSpec, withProxy } from './support/proxy-harness.js';
import { fire, sleep } from './support/proxy-load.js';

let proxy: ProxyProcess & { cleanup(): Promise<void> };

beforeAll(async () => {
  proxy = await withProxy();
});

afterAll(async () => {
  await proxy?.cleanup();
});

async function twoVersions(name: string, options: { sticky?: boolean } = {}): Promise<string> {
  const url = await declareService(proxy.client, name, options);
  await Promise.all([
    proxy.client.startVersion(name, 'v1', sampleSpec()),
    proxy.client.startVersion(name, 'v2', sampleSpec()),
  ]);
  return url;
}

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gantry-proxy routing', () => {
  it('splits 2,000 requests by weight within five standard deviations, naming the version in X-Gantry-Version', async () => {
    const url = await twoVersions('split');
    await proxy.client.setWeights('split', { v1: 70, v2: 30 });
    const result = await fire(url, 2000);
    expect(result.failures).toEqual([]);
    // Binomial(2000, 0.3): mean 600, standard deviation 20.5.
    expect(result.byVersion.v2).toBeGreaterThan(600 - 103);
    expect(result.byVersion.v2).toBeLessThan(600 + 103);
    expect((result.byVersion.v1 ?? 0) + (result.byVersion.v2 ?? 0)).toBe(2000);
  });

  it('honours a weight of 0.5%', async () => {
    const url = await twoVersions('fine');
    await proxy.client.setWeights('fine', { v1: 99.5, v2: 0.5 });
    const result = await fire(url, 2000);
    expect(result.failures).toEqual([]);
    // Binomial(2000, 0.005): mean 10; 0 or more than 30 happen with probability below 1e-4.
    expect(result.byVersion.v2).toBeGreaterThanOrEqual(1);
    expect(result.byVersion.v2).toBeLessThanOrEqual(30);
  });

  it('sends requests carrying the canary header to the canary version, even at weight 0', async () => {
    const url = await twoVersions('smoke');
    await proxy.client.setWeights('smoke', { v1: 100 });
    await proxy.client.setCanary('smoke', 'v2');
    const canary = await fire(url, 50, { headers: { 'X-Gantry-Canary': '1' } });
    const users = await fire(url, 50);
    expect(canary.byVersion).toEqual({ v2: 50 });
    expect(users.byVersion).toEqual({ v1: 50 });
  });

  it('keeps a client with the sticky cookie on its version while that version has weight', async () => {
    const url = await twoVersions('sticky', { sticky: true });
    await proxy.client.setWeights('sticky', { v1: 50, v2: 50 });
    const first = await get(url);
    const cookie = String(first.headers['set-cookie']).split(';')[0] as string;
    const pinned = first.headers['x-gantry-version'];
    expect(cookie).toBe(`gantry_version=${pinned}`);
    const again = await fire(url, 40, { headers: { cookie } });
    expect(again.byVersion).toEqual({ [String(pinned)]: 40 });
    const other = pinned === 'v1' ? 'v2' : 'v1';
    await proxy.client.setWeights('sticky', { [other]: 100 });
    const moved = await get(url, { cookie });
    expect(moved.headers['x-gantry-version']).toBe(other);
    expect(String(moved.headers['set-cookie'])).toContain(`gantry_version=${other}`);
  });

  it('passes WebSocket upgrades through to the instance and back', async () => {
    const url = await declareService(proxy.client, 'ws');
    await proxy.client.startVersion('ws', 'v1', sampleSpec());
    await proxy.client.setWeights('ws', { v1: 100 });
    const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`);
    const upgradeVersion = new Promise<string | undefined>((resolve) =>
      socket.once('upgrade', (res) => resolve(res.headers['x-gantry-version'] as string)),
    );
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const echoes: string[] = [];
    const got = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        echoes.push(data.toString());
        if (echoes.length === 3) resolve();
      }),
    );
    for (const text of ['one', 'two', 'x'.repeat(70_000)]) socket.send(text);
    await got;
    socket.close();
    expect(echoes.map((e) => e.slice(0, 5))).toEqual(['one', 'two', 'xxxxx']);
    expect(echoes[2]).toHaveLength(70_000);
    expect(await upgradeVersion).toBe('v1');
  });

  it('forwards request bodies and answers HEAD without a body', async () => {
    const url = await declareService(proxy.client, 'body');
    await proxy.client.startVersion('body', 'v1', sampleSpec());
    await proxy.client.setWeights('body', { v1: 100 });
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${url}/echo`,
        { method: 'POST', headers: { 'content-type': 'text/plain' } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => resolve(body));
        },
      );
      req.on('error', reject);
      req.write('hello ');
      req.end('proxy');
    });
    expect(JSON.parse(echoed).body).toBe('hello proxy');
    const head = await fire(url, 5, { method: 'HEAD' });
    expect(head.statuses).toEqual({ 200: 5 });
  });

  it('answers 503 with X-Maintenance-Mode, Retry-After and a page in maintenance mode, letting canary requests through', async () => {
    const url = await twoVersions('maint');
    await proxy.client.setWeights('maint', { v1: 100 });
    await proxy.client.setCanary('maint', 'v1');
    await proxy.client.setMaintenance('maint', {
      enabled: true,
      retryAfterSeconds: 120,
      message: 'Upgrading the database.',
    });
    const page = await get(url);
    expect(page.status).toBe(503);
    expect(page.headers['x-maintenance-mode']).toBe('true');
    expect(page.headers['retry-after']).toBe('120');
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Upgrading the database.');
    expect((await get(url, { 'X-Gantry-Canary': '1' })).status).toBe(200);
    await proxy.client.setMaintenance('maint', { enabled: false });
    expect((await get(url)).status).toBe(200);
  });

  it('takes an unhealthy instance out of rotation, answers 502 when none is left, and takes it back once healthy', async () => {
    const url = await declareService(proxy.client, 'health');
    const started = await proxy.client.startVersion('health', 'v1', sampleSpec({ instances: 2 }));
    await proxy.client.setWeights('health', { v1: 100 });
    const [a, b] = started.instances;
    const setHealth = (port: number, status: number) =>
      fire(`http://127.0.0.1:${port}`, 1, { method: 'POST', path: `/fault/health?status=${status}` });
    await setHealth(a?.port as number, 503);
    await waitFor(
      async () => (await proxy.client.getVersion('health', 'v1')).instances[0]?.status === 'unhealthy',
    );
    const during = await fire(url, 100);
    expect(during.failures).toEqual([]);
    const state = await proxy.client.getService('health');
    expect(state.versions[0]?.instances.map((i) => i.status)).toEqual(['unhealthy', 'healthy']);
    // Every request went to the healthy instance: the unhealthy one counted none of them.
    const stats = await proxy.client.stats('health', {
      version: 'v1',
      instance: 0,
      sinceMs: Date.now() - 2000,
    });
    expect(stats.requests.total).toBe(0);

    await setHealth(b?.port as number, 503);
    await waitFor(
      async () => (await proxy.client.getVersion('health', 'v1')).instances[1]?.status === 'unhealthy',
    );
    const none = await get(url);
    expect(none.status).toBe(502);
    expect(none.headers['x-gantry-proxy-error']).toBe('no-healthy-instance');
    expect(none.body).toContain('v1 0/2 healthy');

    await setHealth(a?.port as number, 200);
    await waitFor(
      async () => (await proxy.client.getVersion('health', 'v1')).instances[0]?.status === 'healthy',
    );
    expect((await fire(url, 20)).failures).toEqual([]);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
