import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nginxTarget } from '../../plan/schema/nginx-target.js';
import type { ShellCommand } from '../shell-command.js';
import { NginxTarget } from './nginx-target.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gantry-nginx-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** nginx in memory: `reload` makes it serve the generation written in the file; `test` may be told to fail. */
function fakeNginx(path: string) {
  const calls: string[] = [];
  const callTimes: number[] = [];
  let live: string | undefined;
  let refuse: string | undefined;
  const run = async (command: ShellCommand) => {
    const script = command.argv[2] as string;
    calls.push(script);
    callTimes.push(performance.now());
    if (script === 'nginx -t' && refuse) return { exitCode: 1, output: refuse };
    if (script === 'nginx -s reload') live = /return 200 "([0-9a-f]+)"/.exec(readFileSync(path, 'utf8'))?.[1];
    return { exitCode: 0, output: '' };
  };
  return {
    calls,
    callTimes,
    run,
    liveGeneration: async () => live,
    refuseNext: (output: string) => {
      refuse = output;
    },
    forgetReload: () => {
      live = undefined;
    },
  };
}

function target(version = 'v2', previousVersion: string | null = 'v1', extra: Record<string, unknown> = {}) {
  const path = join(dir, 'gantry.conf');
  const nginx = fakeNginx(path);
  const config = nginxTarget.parse({
    listen: '127.0.0.1:8080',
    config: path,
    start: 'start ${version} ${color}',
    ...extra,
    slots: {
      blue: { servers: ['10.0.0.1:80', '10.0.0.2:80'] },
      green: { servers: ['10.0.0.3:80', '10.0.0.4:80'] },
    },
  });
  const built = new NginxTarget({
    config,
    info: { id: 'd-1', service: 'shop', environment: 'test', version, previousVersion, requestedBy: 't' },
    paths: { config: path },
    run: nginx.run,
    settings: { secrets: new Map(), env: {}, cwd: dir, timeoutMs: 1000 },
    probe: async () => null,
    liveGeneration: nginx.liveGeneration,
    log: () => {},
  });
  return { target: built, nginx, path };
}

describe('the nginx target', () => {
  it('starts a version in its slot, routes it, and only reloads when the routing changed', async () => {
    const { target: t, nginx, path } = target('v1', null);
    await t.ensureVersion('v1', 2);
    await t.setTraffic({ v1: 100 });
    await t.setTraffic({ v1: 100 });
    expect(nginx.calls).toEqual([
      'start v1 blue',
      'nginx -t',
      'nginx -s reload',
      'nginx -t',
      'nginx -s reload',
    ]);
    expect(readFileSync(path, 'utf8')).toContain('server 10.0.0.2:80;');
    expect((await t.describe()).versions).toEqual([
      { version: 'v1', status: 'running', instances: 2, healthyInstances: 2, trafficPct: 100 },
    ]);
  });

  it('puts the previous file back when nginx -t refuses the new one, and fails with its output', async () => {
    const { target: t, nginx, path } = target('v1', null);
    await t.ensureVersion('v1', 2);
    const before = readFileSync(path, 'utf8');
    nginx.refuseNext('nginx: [emerg] host not found in upstream "10.0.0.1:80"');
    await expect(t.setTraffic({ v1: 100 })).rejects.toThrow(
      'target.nginx.test: check the nginx configuration: the command exited with code 1:\nnginx: [emerg] host not found in upstream "10.0.0.1:80"',
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('reloads a file that was written but never loaded (a crash in between), and nothing more', async () => {
    const { target: t, nginx } = target('v1', null);
    await t.ensureVersion('v1', 2);
    await t.setTraffic({ v1: 100 });
    nginx.forgetReload();
    nginx.calls.length = 0;
    await t.setTraffic({ v1: 100 });
    expect(nginx.calls).toEqual(['nginx -s reload']);
  });

  it('moves servers in and out of rotation by instance count, for a rolling update', async () => {
    const { target: t, path } = target();
    writeFileSync(
      path,
      `# gantry-state: ${JSON.stringify({ versions: [{ version: 'v1', slot: 'blue', instances: 2, status: 'running' }], weights: { v1: 100 }, headerRoute: null, maintenance: { enabled: false } })}\n`,
    );
    await t.ensureVersion('v2', 1);
    await t.ensureVersion('v1', 1, { asRunning: true });
    await t.setTraffic({ v1: 50, v2: 50 });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('upstream gantry_shop_test_blue {\n    server 10.0.0.1:80;\n    keepalive 16;\n}');
    expect(text).toContain(
      'upstream gantry_shop_test_green {\n    server 10.0.0.3:80;\n    keepalive 16;\n}',
    );
    expect(text).toContain('    50%     gantry_shop_test_blue;\n    *       gantry_shop_test_green;');
  });

  it('stops a version only after it left nginx and its drain time passed', async () => {
    const {
      target: t,
      nginx,
      path,
    } = target('v2', 'v1', { stop: 'stop ${version} ${color}', drain: '600ms' });
    writeFileSync(
      path,
      `# gantry-state: ${JSON.stringify({
        versions: [
          { version: 'v1', slot: 'blue', instances: 2, status: 'running' },
          { version: 'v2', slot: 'green', instances: 2, status: 'running' },
        ],
        weights: { v2: 100 },
        headerRoute: null,
        maintenance: { enabled: false },
      })}\n`,
    );
    await t.stopVersion('v1');
    expect(nginx.calls).toEqual(['nginx -t', 'nginx -s reload', 'stop v1 blue']);
    const [, reloadAt, stopAt] = nginx.callTimes as [number, number, number];
    expect(stopAt - reloadAt).toBeGreaterThanOrEqual(590);
    expect(readFileSync(path, 'utf8')).not.toContain('gantry_shop_test_blue');
  });

  it('refuses a file it did not write rather than overwrite someone’s configuration', async () => {
    const { target: t, path } = target();
    writeFileSync(path, 'server { listen 80; }\n');
    await expect(t.describe()).rejects.toThrow(`${path} was not written by Gantry, or was edited`);
  });
});
