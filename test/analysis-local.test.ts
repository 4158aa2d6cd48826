// Analysis on gantry-proxy's statistics, end to end: a real proxy, real sample-app processes, real traffic.
// A canary failing 20% of requests is rolled back by the automatic rule within its window, with the decision
// explained in `logs` and `status`; a healthy canary passes its analysis step and is promoted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, gantryJson } from './support/cli.js';
import { freePort, samplePlan } from './support/local-plans.js';
import { type ProxyProcess, startProxy } from './support/proxy-harness.js';
import { steadyLoad } from './support/proxy-load.js';
import { type Workspace, workspace } from './support/workspace.js';

let ws: Workspace;
let proxy: ProxyProcess;

beforeAll(async () => {
  ws = workspace('gantry-analysis-');
  proxy = await startProxy(ws.home);
});

afterAll(async () => {
  await proxy?.stop();
  ws?.remove();
});

const deploy = (plan: string, version: string) =>
  gantry(['deploy', plan, '--version', version, '--wait'], { home: ws.home, timeoutMs: 90_000 });

describe('analysis on builtin statistics', () => {
  it('rolls back a canary failing 20% of requests within the rule window, and says why in logs and status', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const plan = ws.writePlan(
      'failing.yaml',
      samplePlan({
        service: 'failing-canary',
        port,
        faults: { v2: 'errors:20' },
        strategy: '  canary:\n    steps:\n      - setWeight: 20\n      - wait: 30s',
        extra: 'rollback:\n  automatic: ["error_rate > 5% for 2s"]\n',
      }),
    );
    const first = samplePlan({
      service: 'failing-canary',
      port,
      strategy: '  canary:\n    steps: [{ setWeight: 100 }]',
    });
    expect((await deploy(ws.writePlan('failing-first.yaml', first), 'v1')).code).toBe(0);
    const load = steadyLoad(`http://127.0.0.1:${port}`, {
      ratePerSec: 100,
      ok: () => true,
      maxDurationMs: 60_000,
    });
    const started = Date.now();
    const second = await deploy(plan, 'v2');
    await load.stop();
    expect(second.code, second.stdout + second.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(25_000);

    const [deployment] = (await gantryJson(['history', '--service', 'failing-canary'], { home: ws.home }))
      .json;
    expect(deployment.status).toBe('rolled_back');
    const logs = await gantry(['logs', deployment.id], { home: ws.home });
    expect(logs.stdout).toMatch(
      /rollback \(automatic rollback rule\): error_rate of v2 was \d+(\.\d+)?% > 5% for 2s over \d+ requests; rolling back/,
    );
    const status = await gantry(['status', deployment.id], { home: ws.home });
    expect(status.stdout).toMatch(/analysis: rollback at \d\d:\d\d:\d\d: error_rate of v2 was/);
    const json = await gantryJson(['status', deployment.id], { home: ws.home });
    expect(json.json.lastDecision.tier).toBe('rollback');
  });

  it('promotes a healthy canary once its analysis step passes, journaling the evidence', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const base = { service: 'healthy-canary', port };
    // The first version has nothing to compare with and no traffic yet: it is deployed without analysis.
    const first = ws.writePlan(
      'first.yaml',
      samplePlan({ ...base, strategy: '  canary:\n    steps: [{ setWeight: 100 }]' }),
    );
    expect((await deploy(first, 'v1')).code).toBe(0);
    const plan = ws.writePlan(
      'healthy.yaml',
      samplePlan({
        ...base,
        strategy: '  canary:\n    steps:\n      - setWeight: 50\n      - analysis: { duration: 4s }',
        extra:
          'analysis:\n  interval: 1s\n  rules: ["error_rate > 5% for 2s", "p95_latency > 500ms for 2s"]\n',
      }),
    );
    const load = steadyLoad(`http://127.0.0.1:${port}`, { ratePerSec: 60, maxDurationMs: 60_000 });
    const second = await deploy(plan, 'v2');
    const during = await load.stop();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(during.failures).toEqual([]);

    const [deployment] = (await gantryJson(['history', '--service', 'healthy-canary'], { home: ws.home }))
      .json;
    const events = (await gantryJson(['logs', deployment.id], { home: ws.home })).json as Array<{
      type: string;
      data: any;
    }>;
    const decision = events.find((e) => e.type === 'analysis.decision');
    expect(decision?.data.tier).toBe('pass');
    expect(decision?.data.explanation).toMatch(
      /^2 rules passed after 4s: error_rate of v2 was [\d.]+%, not > 5%, in the last 2s over \d+ requests; p95_latency of v2 was/,
    );
    const measurements = events.filter((e) => e.type === 'analysis.measurement');
    expect(measurements.length).toBeGreaterThanOrEqual(6);
    expect(measurements[0]?.data).toMatchObject({ metric: 'error_rate', version: 'v2', unit: 'ratio' });
  });
});
