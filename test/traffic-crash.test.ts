// The control plane dies, the data plane serves on: the engine is killed with SIGKILL in the middle of a
// canary, again and again, while users keep sending requests. Each restart re-runs the interrupted traffic
// step (they are idempotent), the canary ends at 100% on the new version, and no user request fails.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, gantryJson } from './support/cli.js';
import { freePort, samplePlan } from './support/local-plans.js';
import { type ProxyProcess, startProxy } from './support/proxy-harness.js';
import { steadyLoad } from './support/proxy-load.js';
import { type Workspace, workspace } from './support/workspace.js';

let ws: Workspace;
let proxy: ProxyProcess;

beforeAll(async () => {
  ws = workspace('gantry-traffic-crash-');
  proxy = await startProxy(ws.home);
});

afterAll(async () => {
  await proxy?.stop();
  ws?.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cli = () => ({ home: ws.home, timeoutMs: 60_000 });

/** Until the killed process is gone or a zombie: only then does its lease count as held by a dead engine. */
async function waitDead(pid: number): Promise<void> {
  for (;;) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    } catch {
      return;
    }
    await sleep(20);
  }
}

describe('SIGKILL of the engine during a canary', () => {
  it('ends with all traffic on the new version and no failed user request', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const plan = ws.writePlan(
      'crashy.yaml',
      samplePlan({
        service: 'crashy',
        port,
        strategy:
          '  canary:\n    steps: [{ setWeight: 20 }, { wait: 1s }, { setWeight: 50 }, { wait: 1s }, { setWeight: 80 }, { wait: 1s }]',
      }),
    );
    expect((await gantry(['deploy', plan, '--version', 'v1', '--wait'], cli())).code).toBe(0);
    const load = steadyLoad(`http://127.0.0.1:${port}`, { ratePerSec: 50 });
    const { json } = await gantryJson(['deploy', plan, '--version', 'v2'], cli());
    let kills = 0;
    for (let attempt = 0; attempt < 6 && kills < 3; attempt++) {
      await sleep(300 + Math.random() * 700);
      const status = (await gantryJson(['status', json.id], cli())).json;
      if (status.status === 'succeeded') break;
      if (!status.engine?.pid) continue;
      process.kill(status.engine.pid, 'SIGKILL');
      await waitDead(status.engine.pid);
      kills++;
      expect((await gantry(['resume', json.id], cli())).code).toBe(0);
    }
    const final = await gantry(['status', json.id, '--watch'], cli());
    const during = await load.stop();

    expect(kills).toBeGreaterThan(0);
    expect(final.stdout).toContain(`${json.id}: succeeded`);
    expect(during.failures).toEqual([]);
    const state = await proxy.client.getService('crashy.test');
    expect(state.weights).toEqual({ v2: 100 });
    expect(state.versions.map((v) => v.version)).toEqual(['v2']);
  });
});
