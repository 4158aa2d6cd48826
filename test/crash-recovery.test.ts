// Durability: the engine process is killed with SIGKILL at random points of plain runbooks (at least
// 50 kills in all). After each restart the deployment goes on; a non-idempotent step cut off by a kill is
// answered as an operator would (retry when it did not take effect, skip when it did), so none runs twice;
// the final status is right and the hash chain verifies.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, gantryJson, waitFor } from './support/cli.js';
import { type Workspace, workspace } from './support/workspace.js';

const MIN_KILLS = 50;
const MIN_DEPLOYMENTS = 8;
const STEP_COUNT = 8;
const TERMINAL = ['succeeded', 'rolled_back', 'failed', 'aborted'];

let ws: Workspace;
beforeAll(() => {
  ws = workspace();
});
afterAll(() => ws.remove());

/** Even steps are non-idempotent commands that leave a marker (or fail, at failAt); odd ones are idempotent waits. */
function planFor(n: number, markerFile: string, failAt?: number): string {
  const steps = Array.from({ length: STEP_COUNT }, (_, i) =>
    i % 2 === 1
      ? '  - wait: 200ms'
      : failAt === i
        ? '  - run: sleep 0.1; exit 9'
        : `  - run: sleep 0.${1 + (i % 3)}; echo step-${i} >> ${markerFile}`,
  );
  return `service: crash-${n}\nsteps:\n${steps.join('\n')}\nrollback:\n  steps:\n    - run: sleep 0.1; echo rollback >> ${markerFile}\n`;
}

const random = (min: number, max: number) => min + Math.random() * (max - min);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cli = () => ({ home: ws.home });

async function statusOf(id: string) {
  return (await gantryJson(['status', id], cli())).json;
}

/** Kills the deployment's engine with SIGKILL; false when it had no live engine. */
async function killEngine(id: string): Promise<boolean> {
  const status = await statusOf(id);
  const pid = status.engine?.pid;
  if (!pid || TERMINAL.includes(status.status)) return false;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

function markerOf(stepId: string): string {
  const index = /^steps\[(\d+)\]$/.exec(stepId)?.[1];
  return index === undefined ? 'rollback' : `step-${index}`;
}

/** Restarts the engine the way an operator does: look at an interrupted step's effect, then retry or skip. */
async function restart(id: string, markerFile: string): Promise<void> {
  await sleep(600); // a command orphaned by the kill finishes first, as an operator would check
  const status = await statusOf(id);
  if (TERMINAL.includes(status.status)) return;
  const args = ['resume', id];
  if (status.status === 'interrupted') {
    const step = status.steps.find((s: { status: string }) => s.status === 'interrupted');
    const lines = existsSync(markerFile) ? readFileSync(markerFile, 'utf8').split('\n') : [];
    args.push(lines.includes(markerOf(step.id)) ? '--skip' : '--retry');
  }
  const resumed = await gantry(args, cli());
  // The deployment may have finished between the look and the resume; then there is nothing to resume.
  if (resumed.code !== 0 && TERMINAL.includes((await statusOf(id)).status)) return;
  expect(resumed.code, resumed.stderr).toBe(0);
}

describe('SIGKILL of the engine at random points', () => {
  it(`finishes every deployment correctly across at least ${MIN_KILLS} kills`, {
    timeout: 900_000,
  }, async () => {
    let kills = 0;
    for (let n = 0; kills < MIN_KILLS || n < MIN_DEPLOYMENTS; n++) {
      const markerFile = join(ws.dir, `markers-${n}`);
      const failAt = n % 4 === 3 ? 4 : undefined;
      const planPath = ws.writePlan(`plan-${n}.yaml`, planFor(n, markerFile, failAt));
      const id: string = (await gantryJson(['deploy', planPath, '--version', `1.${n}`], cli())).json.id;
      for (let k = 0; k < 8; k++) {
        await sleep(random(50, 700));
        if (await killEngine(id)) kills++;
        await restart(id, markerFile);
      }
      const final = await waitFor(
        async () => {
          const status = await statusOf(id);
          if (TERMINAL.includes(status.status)) return status.status as string;
          if (status.status === 'interrupted' || !status.engine) await restart(id, markerFile);
          return undefined;
        },
        `deployment ${n} to finish`,
        120_000,
      );

      const markers = readFileSync(markerFile, 'utf8').trim().split('\n');
      const ran = Array.from({ length: STEP_COUNT }, (_, i) => i).filter(
        (i) => i % 2 === 0 && (failAt === undefined || i < failAt),
      );
      expect(final).toBe(failAt === undefined ? 'succeeded' : 'rolled_back');
      expect(markers.filter((m) => m.startsWith('step-'))).toEqual(ran.map((i) => `step-${i}`));
      expect(markers.filter((m) => m === 'rollback')).toHaveLength(failAt === undefined ? 0 : 1);
    }
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
    const audit = await gantry(['audit', 'verify'], cli());
    expect(audit.code, audit.stdout).toBe(0);
  });
});
