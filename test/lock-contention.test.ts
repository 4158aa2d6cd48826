// One deployment per service and environment: 20 simultaneous `gantry deploy` — exactly one runs,
// every other one is refused naming it; a deployment whose engine died keeps its lock until resumed.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gantry, gantryJson, waitFor } from './support/cli.js';
import { type Workspace, workspace } from './support/workspace.js';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

describe('service/environment lock', () => {
  it('lets exactly one of 20 simultaneous deploys run and names it to the other 19', async () => {
    const planPath = ws.writePlan(
      'plan.yaml',
      'service: catalog\nenvironment: staging\nsteps:\n  - pause: {}\n',
    );
    const cli = { home: ws.home, timeoutMs: 60_000 };
    // The journal is created first so that twenty processes don't race to migrate an empty file.
    expect((await gantry(['history'], cli)).code).toBe(0);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        gantry(['deploy', planPath, '--version', `v${n}`, '-o', 'json'], cli),
      ),
    );
    const winners = results.filter((r) => r.code === 0);
    const losers = results.filter((r) => r.code !== 0);
    expect(winners).toHaveLength(1);
    const winnerId: string = JSON.parse(winners[0]?.stdout ?? '{}').id;
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser.code).toBe(2);
      const error = JSON.parse(loser.stdout).error;
      expect(error.code).toBe('GANTRY_LOCKED');
      expect(error.message).toContain(winnerId);
    }
    const history = await gantryJson(['history'], cli);
    expect(history.json).toHaveLength(1);
    expect((await gantry(['abort', winnerId], cli)).code).toBe(0);
    await waitFor(
      async () =>
        (await gantryJson(['status', winnerId], cli)).json.status === 'aborted' ? true : undefined,
      'the abort',
    );
  });

  it('queues a deploy behind the running one with --queue and runs it after', async () => {
    const planPath = ws.writePlan('plan.yaml', 'service: catalog\nsteps:\n  - pause: {}\n');
    const cli = { home: ws.home };
    const first = (await gantryJson(['deploy', planPath, '--version', 'v1'], cli)).json.id;
    const second = await gantryJson(['deploy', planPath, '--version', 'v2', '--queue'], cli);
    expect(second.code).toBe(0);
    const secondId: string = second.json.id;
    await waitFor(
      async () =>
        (await gantryJson(['status', secondId], cli)).json.reason?.includes(first) ? true : undefined,
      'the queued status naming the first',
    );
    expect((await gantry(['promote', first], cli)).code).toBe(0);
    await waitFor(
      async () =>
        (await gantryJson(['status', secondId], cli)).json.status === 'waiting' &&
        (await gantryJson(['status', first], cli)).json.status === 'succeeded'
          ? true
          : undefined,
      'the second to start',
    );
    expect((await gantry(['promote', secondId], cli)).code).toBe(0);
    await waitFor(
      async () =>
        (await gantryJson(['status', secondId], cli)).json.status === 'succeeded' ? true : undefined,
      'the second to finish',
    );
  });
});
