// The nginx target end to end: Debian's real nginx, run by the test in its own prefix, in front of the
// sample app (examples/sample-app/server.js) whose slot instances the plan's start hook launches, as
// `systemctl restart app@COLOR` would. Weights move 0→50→100 under steady load with no failed request
// across the reloads; a version whose error rate (read from nginx's JSON access log) is too high is
// rolled back; every rendered configuration passes the real `nginx -t`.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT } from '../src/deployment/events.js';
import { foldEvents } from '../src/deployment/state.js';
import { createDeployment } from '../src/engine/create.js';
import { Engine } from '../src/engine/engine.js';
import type { Journal } from '../src/journal/journal.js';
import { nginxTarget } from '../src/plan/schema/nginx-target.js';
import { checkAddressOf, generationReader } from '../src/targets/nginx/generation-check.js';
import { httpProbe } from '../src/targets/nginx/health.js';
import { NginxTarget } from '../src/targets/nginx/nginx-target.js';
import { renderNginxConfig } from '../src/targets/nginx/render-config.js';
import { shellRunner } from '../src/targets/shell-command.js';
import { freePort } from './support/local-plans.js';
import { type NginxProcess, requireNginx, startNginx } from './support/nginx.js';
import { SAMPLE_APP } from './support/proxy-harness.js';
import { fire, steadyLoad } from './support/proxy-load.js';
import { type Workspace, workspace } from './support/workspace.js';

const V = (name: string) => `\${${name}}`;
const nginxCheck = requireNginx();

/** Runs a slot's sample-app instances like a systemd template unit: stop what runs there, start the version. */
const SLOT_SCRIPT = `#!/bin/sh
set -u
cd "$(dirname "$0")"
action=$1; color=$2; version=\${3:-}
alive() { s=$(cut -d' ' -f3 /proc/$1/stat 2>/dev/null) || return 1; [ "$s" != Z ]; }
if [ -f "pids-$color" ]; then
  for pid in $(cat "pids-$color"); do kill "$pid" 2>/dev/null; done
  for pid in $(cat "pids-$color"); do n=0; while alive "$pid" && [ $n -lt 200 ]; do sleep 0.05; n=$((n+1)); done; done
  rm -f "pids-$color"
fi
[ "$action" = stop ] && exit 0
fault=""; [ -f "fault-$version" ] && fault=$(cat "fault-$version")
i=0
for port in $(cat "ports-$color"); do
  PORT=$port GANTRY_VERSION=$version GANTRY_INSTANCE=$i FAULT=$fault nohup "${process.execPath}" "${SAMPLE_APP}" "$PWD/slot-$color" > "app-$color-$port.log" 2>&1 &
  echo $! >> "pids-$color"
  i=$((i+1))
done
`;

describe.skipIf(!nginxCheck.available)('the nginx target with a real nginx', () => {
  let ws: Workspace;
  let nginx: NginxProcess;
  let journal: Journal;
  let port: number;
  let slots: Record<string, number[]>;

  beforeAll(async () => {
    ws = workspace('gantry-nginx-');
    nginx = await startNginx(join(ws.dir, 'nginx'));
    journal = await ws.openJournal();
    port = await freePort();
    slots = { blue: [await freePort(), await freePort()], green: [await freePort(), await freePort()] };
    writeFileSync(join(ws.dir, 'slot.sh'), SLOT_SCRIPT);
    for (const [color, ports] of Object.entries(slots))
      writeFileSync(join(ws.dir, `ports-${color}`), ports.join(' '));
  });

  afterAll(async () => {
    for (const color of ['blue', 'green']) execFileSync('sh', [join(ws.dir, 'slot.sh'), 'stop', color]);
    await nginx?.stop();
    await journal?.close();
    ws?.remove();
  });

  const plan = () => `service: shop
environment: test
target:
  nginx:
    listen: 127.0.0.1:${port}
    config: ${nginx.confDir}/gantry-${V('service')}.conf
    accessLog: ${ws.dir}/access-${V('service')}.json
    test: ${nginx.testCommand}
    reload: ${nginx.reloadCommand}
    start: sh ${ws.dir}/slot.sh start ${V('color')} ${V('version')}
    stop: sh ${ws.dir}/slot.sh stop ${V('color')}
    slots:
      blue: { servers: [${slots.blue?.map((p) => `"127.0.0.1:${p}"`).join(', ')}] }
      green: { servers: [${slots.green?.map((p) => `"127.0.0.1:${p}"`).join(', ')}] }
    health: { interval: 100ms, startupTimeout: 10s }
    reloadTimeout: 5s
strategy:
  canary:
    steps:
      - setWeight: 50
      - wait: 3s
      - setWeight: 100
rollback:
  automatic: ["error_rate > 10% for 1s"]
`;

  async function deploy(version: string): Promise<{ id: string; status: string }> {
    const { deployment } = await createDeployment(journal, {
      planPath: ws.writePlan('plan.yaml', plan()),
      version,
      requestedBy: 'tester',
      env: {},
    });
    const engine = new Engine({ journal, home: ws.home, pollMs: 20, env: {} });
    try {
      return { id: deployment.id, status: await engine.drive(deployment.id) };
    } finally {
      await engine.close();
    }
  }

  const url = () => `http://127.0.0.1:${port}`;
  // nginx closes idle keep-alive connections on each reload; the load resends a GET reset on such a
  // connection, as browsers do (see `resendOnReusedConnectionReset`). Any other error still fails the test.
  const clientLoad = () => steadyLoad(url(), { ratePerSec: 40, resendOnReusedConnectionReset: true });

  it('moves weights 0→50→100 under load with no failed request across the reloads', {
    timeout: 60_000,
  }, async () => {
    expect(await deploy('v1')).toMatchObject({ status: 'succeeded' });
    expect((await fire(url(), 20)).byVersion).toEqual({ v1: 20 });

    const load = clientLoad();
    const second = await deploy('v2');
    const during = await load.stop();
    expect(second.status).toBe('succeeded');
    expect(during.failures).toEqual([]);
    expect(during.byVersion.v1).toBeGreaterThan(10);
    expect(during.byVersion.v2).toBeGreaterThan(10);
    expect((await fire(url(), 40)).byVersion).toEqual({ v2: 40 });
    // The previous slot left nginx's configuration, then its stop hook ran.
    const config = readFileSync(join(nginx.confDir, 'gantry-shop.conf'), 'utf8');
    expect(config).not.toContain('gantry_shop_test_blue');
    expect(existsSync(join(ws.dir, 'pids-blue'))).toBe(false);
  });

  it('rolls back a version whose error rate in the access log is too high', { timeout: 60_000 }, async () => {
    writeFileSync(join(ws.dir, 'fault-v3'), 'errors:50');
    const load = clientLoad();
    const { id, status } = await deploy('v3');
    const during = await load.stop();
    expect(status).toBe('rolled_back');
    expect(during.byVersion.v3).toBeGreaterThan(0);
    expect(during.failures.length).toBeGreaterThan(0);
    // Every failed request is one of v3's own 500s: none is lost to a reload or to stopping v3.
    expect(
      during.failures.filter((failure) => !(failure.startsWith('500') && failure.includes('"version":"v3"'))),
    ).toEqual([]);
    expect((await fire(url(), 40)).byVersion).toEqual({ v2: 40 });

    const events = await journal.readEvents(id);
    const decision = events.find((event) => event.type === EVENT.decision);
    expect(JSON.stringify(decision ?? events)).toContain('nginx access log stats of shop.test v3');
    expect(foldEvents(events).rollback?.reason).toContain('error_rate');
  });
});

describe.skipIf(!nginxCheck.available)('configurations nginx accepts, and the maintenance page', () => {
  let ws: Workspace;
  let nginx: NginxProcess;
  let app: number;

  beforeAll(async () => {
    ws = workspace('gantry-nginx-page-');
    nginx = await startNginx(join(ws.dir, 'nginx'));
    app = await freePort();
    writeFileSync(join(ws.dir, 'slot.sh'), SLOT_SCRIPT);
    writeFileSync(join(ws.dir, 'ports-blue'), String(app));
  });

  afterAll(async () => {
    execFileSync('sh', [join(ws.dir, 'slot.sh'), 'stop', 'blue']);
    await nginx?.stop();
    ws?.remove();
  });

  it.each([
    ['a canary split with a header route', { headerRoute: 'green', maintenance: { enabled: false } }],
    [
      'maintenance letting the canary header through',
      { headerRoute: 'green', maintenance: { enabled: true, message: 'Back at 6 $ "soon"' } },
    ],
    ['maintenance for everyone', { headerRoute: null, maintenance: { enabled: true } }],
  ])('nginx -t accepts %s', (_name, variant) => {
    const text = renderNginxConfig({
      service: 'check-me',
      environment: 'test',
      listen: '127.0.0.1:1',
      serverName: 'shop.example.com',
      slots: [
        { slot: 'blue', version: 'v1', servers: ['127.0.0.1:2', 'unix:/run/app.sock'], weightPct: 66.6667 },
        { slot: 'green', version: 'v2', servers: ['[::1]:3'], weightPct: 33.3333 },
      ],
      canaryHeader: 'X-Gantry-Canary',
      accessLog: join(ws.dir, 'access.json'),
      keepalive: 8,
      generation: 'abcdef012345',
      ...variant,
    });
    writeFileSync(join(nginx.confDir, 'check.conf'), text);
    try {
      execFileSync('sh', ['-c', nginx.testCommand], { stdio: 'pipe' });
    } finally {
      writeFileSync(join(nginx.confDir, 'check.conf'), '');
    }
  });

  it('answers users with 503 and X-Maintenance-Mode while the canary header still reaches the routed version', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    const config = nginxTarget.parse({
      listen: `127.0.0.1:${port}`,
      config: join(nginx.confDir, 'page.conf'),
      test: nginx.testCommand,
      reload: nginx.reloadCommand,
      start: `sh ${ws.dir}/slot.sh start ${V('color')} ${V('version')}`,
      slots: { blue: { servers: [`127.0.0.1:${app}`] } },
      health: { interval: '100ms' },
    });
    const info = {
      id: 'd-1',
      service: 'page',
      environment: 'test',
      version: 'v1',
      previousVersion: null,
      requestedBy: 't',
    };
    const target = new NginxTarget({
      config,
      info,
      paths: { config: config.config },
      run: shellRunner({ redact: (text) => text, log: () => {} }),
      settings: { secrets: new Map(), env: {}, cwd: ws.dir, timeoutMs: 30_000 },
      probe: httpProbe,
      liveGeneration: generationReader(checkAddressOf(config.listen)),
      log: () => {},
    });
    await target.ensureVersion('v1', 1);
    await target.setTraffic({ v1: 100 });
    await target.setMaintenance(true, { message: 'Back soon.', retryAfterSeconds: 60 });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect([page.status, page.headers.get('x-maintenance-mode'), page.headers.get('retry-after')]).toEqual([
      503,
      'true',
      '60',
    ]);
    expect(await page.text()).toContain('<p>Back soon.</p>');
    const blocked = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'X-Gantry-Canary': '1' } });
    expect(blocked.status).toBe(503);
    await target.setHeaderRoute('v1');
    const passed = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'X-Gantry-Canary': '1' } });
    expect([passed.status, passed.headers.get('x-gantry-version')]).toEqual([200, 'v1']);
    await target.setMaintenance(false);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    expect((await target.describe()).maintenance).toBe(false);
  });
});
