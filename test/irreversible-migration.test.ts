// An irreversible migration with no backup: the rollback cannot bring its data back, so the deployment stops
// as `interrupted` and says what the operator can do, instead of pretending to roll back. Reversible
// migrations are undone by their down command, newest first. Needs only /bin/sh.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gantry, gantryJson, waitFor } from './support/cli.js';
import { type Workspace, workspace } from './support/workspace.js';

let ws: Workspace;
beforeEach(() => {
  ws = workspace();
});
afterEach(() => ws.remove());

const cli = () => ({ home: ws.home, cwd: ws.dir });

describe('migrations on rollback', () => {
  it('stops as interrupted on an irreversible migration with no backup, naming the options, and finishes when told', async () => {
    const planPath = ws.writePlan(
      'plan.yaml',
      `
service: coupons
steps:
  - name: add column
    migrate: { up: echo up-1 >> log, down: echo down-1 >> log }
  - name: drop legacy coupons
    migrate: { up: echo up-2 >> log, irreversible: true }
  - run: exit 1
rollback:
  steps: [{ run: echo rollback-step >> log }]
`,
    );
    const deployed = await gantryJson(['deploy', planPath, '--version', '2.0.0', '--wait'], cli());
    expect(deployed.code).toBe(1);
    expect(deployed.json.status).toBe('interrupted');
    const id: string = deployed.json.id;

    const status = (await gantryJson(['status', id], cli())).json;
    expect(status.reason).toContain('steps[1] (drop legacy coupons) is irreversible');
    expect(status.reason).toContain('no verified backup was taken before it');
    expect(status.reason).toContain('gantry backups --service coupons');
    expect(status.reason).toContain(`gantry resume ${id} --skip`);
    expect(status.steps.find((s: { id: string }) => s.id === 'rollback[0]').status).toBe('interrupted');
    // Nothing after the irreversible migration's undo ran: the reversible one waits too.
    expect(readFileSync(join(ws.dir, 'log'), 'utf8')).toBe('up-1\nup-2\n');

    const skipped = await gantry(['resume', id, '--skip'], cli());
    expect(skipped.code, skipped.stderr).toBe(0);
    const final = await waitFor(async () => {
      const now = (await gantryJson(['status', id], cli())).json;
      return ['rolled_back', 'failed'].includes(now.status) ? now.status : undefined;
    }, 'the rollback to finish');
    expect(final).toBe('rolled_back');
    expect(readFileSync(join(ws.dir, 'log'), 'utf8')).toBe('up-1\nup-2\ndown-1\nrollback-step\n');
    const logs = await gantry(['logs', id], cli());
    expect(logs.stdout).toContain('rollback[0] stopped for an operator');
    expect(logs.stdout).toContain('rollback[0] skipped by tester');
  });

  it('does not run the down command of a migration whose up command failed', async () => {
    const planPath = ws.writePlan(
      'plan.yaml',
      'service: coupons\nsteps:\n  - migrate: { up: "echo up >> log; exit 3", down: echo down >> log }\n',
    );
    const deployed = await gantryJson(['deploy', planPath, '--version', '2.0.0', '--wait'], cli());
    expect(deployed.json.status).toBe('rolled_back');
    expect(readFileSync(join(ws.dir, 'log'), 'utf8')).toBe('up\n');
  });
});
