// Each strategy catches each kind of defective version on the local target, by the rule meant for it, and
// rolls back by itself: errors → error_rate, 3 s answers → latency, a memory leak → memory, crashes →
// restarts. Real gantry-proxy, real sample-app processes (FAULT=…), real HTTP under steady load.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, gantryJson } from './support/cli.js';
import { freePort, samplePlan } from './support/local-plans.js';
import { type ProxyProcess, startProxy } from './support/proxy-harness.js';
import { fire, steadyLoad } from './support/proxy-load.js';
import { type Workspace, workspace } from './support/workspace.js';

let ws: Workspace;
let proxy: ProxyProcess;

beforeAll(async () => {
  ws = workspace('gantry-defects-');
  proxy = await startProxy(ws.home);
});

afterAll(async () => {
  await proxy?.stop();
  ws?.remove();
});

/** The rules of runbook 000, tightened so a test takes seconds. */
const RULES = `rollback:
  automatic:
    - error_rate > 5% for 3s
    - latency > 2s for 5 requests
    - memory > 90% for 3 samples
    - restarts > 0
monitor: [{ every: 500ms, for: 40s }]
`;

const STRATEGIES: Record<string, string> = {
  canary: '  canary:\n    steps: [{ setWeight: 25 }, { wait: 40s }, { setWeight: 100 }]',
  blueGreen: '  blueGreen: { keepPrevious: 1m }',
  rolling: '  rolling: { batchSize: 1, betweenBatches: [{ wait: 40s }] }',
  recreate: '  recreate: { maintenance: true }',
};

/** Each defect, the metric of the rule that must catch it, and the sample app's FAULT for it. */
const DEFECTS: [string, string, string][] = [
  ['errors', 'error_rate', 'errors:30'],
  ['3 s latency', 'latency', 'latency:3000'],
  ['a memory leak', 'memory', 'leak:40'],
  ['crashes', 'restarts', 'crash:4'],
];

const cli = () => ({ home: ws.home, timeoutMs: 150_000 });

/**
 * The rule the rollback must name. A crash is the restarts rule's, except where the crashing version has
 * all the traffic (after a blue-green switch, or a recreate): every instance goes down at once, users get
 * 502s, and the error rate rightly fires a few hundred milliseconds before the restart is counted.
 */
function caughtBy(strategy: string, metric: string): RegExp {
  if (metric === 'restarts' && (strategy === 'blueGreen' || strategy === 'recreate'))
    return /^(restarts|error_rate) of v2 /;
  return new RegExp(`^${metric} of v2 `);
}

describe.each(Object.entries(STRATEGIES))('%s', (strategy, block) => {
  it.each(DEFECTS)(
    'rolls back a version with %s by the %s rule',
    { timeout: 180_000 },
    async (_defect, metric, fault) => {
      const port = await freePort();
      const service = `${strategy.toLowerCase()}-${metric.replace('_', '')}`;
      const plan = (strategyBlock: string, extra = '') =>
        samplePlan({
          service,
          port,
          strategy: strategyBlock,
          instances: strategy === 'rolling' ? 3 : 2,
          memoryLimit: '160MiB',
          faults: { v2: fault },
          extra,
        });
      // v1 goes live at once: nothing to compare it with.
      const first = await gantry(
        [
          'deploy',
          ws.writePlan(`${service}-v1.yaml`, plan('  canary: { steps: [{ setWeight: 100 }] }')),
          '--version',
          'v1',
          '--wait',
        ],
        cli(),
      );
      expect(first.code, first.stdout + first.stderr).toBe(0);

      const url = `http://127.0.0.1:${port}`;
      const load = steadyLoad(url, { ratePerSec: 60, maxDurationMs: 150_000 });
      const second = await gantry(
        ['deploy', ws.writePlan(`${service}-v2.yaml`, plan(block, RULES)), '--version', 'v2', '--wait'],
        cli(),
      );
      await load.stop();
      expect(second.code, second.stdout).toBe(1);

      const history = await gantryJson(['history', '--service', service], { home: ws.home });
      const deployment = history.json[0];
      expect(deployment.status).toBe('rolled_back');
      const logs = await gantryJson(['logs', deployment.id], { home: ws.home });
      const rollback = logs.json.find((e: { type: string }) => e.type === 'rollback.started');
      expect(rollback?.data.trigger, JSON.stringify(rollback)).toBe('rule');
      expect(rollback?.data.reason).toMatch(caughtBy(strategy, metric));

      expect((await fire(url, 30)).byVersion).toEqual({ v1: 30 });
      const state = await proxy.client.getService(`${service}.test`);
      expect(state.versions.map((v) => v.version)).toEqual(['v1']);
      expect(state.maintenance.enabled).toBe(false);
    },
  );
});
