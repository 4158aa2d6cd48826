// `gantry demo` end to end, as a user runs it: v1 live, v2 canaried to 100% under generated traffic, v3's
// defect caught and rolled back by the automatic rules, in under two minutes, and no process left behind.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry } from './support/cli.js';
import { freePort } from './support/local-plans.js';
import { processesOf } from './support/processes.js';
import { type Workspace, workspace } from './support/workspace.js';

let ws: Workspace;
beforeAll(() => {
  ws = workspace('gantry-demo-test-');
});
afterAll(() => ws?.remove());

describe('gantry demo', () => {
  it('canaries v2 to 100%, rolls v3 back by an automatic rule, within two minutes, leaving no process', {
    timeout: 180_000,
  }, async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await gantry(['demo', '--home', ws.home, '--port', String(port)], {
      home: ws.home,
      timeoutMs: 170_000,
    });
    const elapsedMs = Date.now() - started;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(elapsedMs).toBeLessThan(120_000);
    expect(result.stdout).toMatch(/v1 +succeeded/);
    expect(result.stdout).toMatch(/v2 +succeeded/);
    expect(result.stdout).toMatch(/v3 +rolled back/);
    expect(result.stdout).toMatch(/rollback \(.*\): error_rate of v3 was [\d.]+% > 5%/);
    expect(result.stdout).toContain('no process left behind');
    expect(processesOf(ws.home)).toEqual([]);
  });
});
