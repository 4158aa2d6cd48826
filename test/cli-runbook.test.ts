// A plain runbook through the CLI, as a release engineer runs it: preflight, checklist, approvals by
// role, steps, and notifications to a local webhook receiver with verified signatures.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../src/notify/webhook/signature.js';
import { gantry, gantryJson, waitFor } from './support/cli.js';
import { type WebhookReceiver, webhookReceiver } from './support/webhook-receiver.js';
import { type Workspace, workspace } from './support/workspace.js';

let ws: Workspace;
let receiver: WebhookReceiver;

beforeEach(async () => {
  ws = workspace();
  receiver = await webhookReceiver();
});

afterEach(async () => {
  await receiver.close();
  ws.remove();
});

function plan(marker: string): string {
  return `
service: billing
environment: production
secrets:
  HOOK_SECRET: { env: HOOK_SECRET }
preflight:
  - name: config is valid
    run: echo preflight >> ${marker}
checklist: [Deployment team briefed, Rollback plan reviewed]
approvals: [{ role: release-manager }]
steps:
  - run: echo "deploy \${version}" >> ${marker}
  - wait: 100ms
  - notify: { channels: team, message: "billing \${version} is live" }
notify:
  channels:
    team: { webhook: { url: "${receiver.url}/gantry", secret: "\${secrets.HOOK_SECRET}" } }
  on: { started: [team], waiting: [team], succeeded: [team] }
`;
}

describe('a plain runbook through the CLI', () => {
  it('runs to succeeded once the checklist is checked and a second person approves', async () => {
    const marker = join(ws.dir, 'marker');
    const planPath = ws.writePlan('billing.yaml', plan(marker));
    const env = { HOOK_SECRET: 'whsec-abc123' };
    const cli = { home: ws.home, env };

    for (const [name, role] of [
      ['alice', 'release-manager'],
      ['bob', 'release-manager'],
    ]) {
      expect((await gantry(['user', 'add', name as string, '--role', role as string], cli)).code).toBe(0);
    }
    const deployed = await gantryJson(['deploy', planPath, '--version', '3.1.0', '--as', 'alice'], cli);
    expect(deployed.code).toBe(0);
    const id: string = deployed.json.id;

    await waitFor(
      async () => ((await gantryJson(['status', id], cli)).json.status === 'waiting' ? true : undefined),
      'the checklist wait',
    );
    expect((await gantry(['check', id, '1', '--as', 'carol'], cli)).code).toBe(0);
    expect((await gantry(['check', id, 'rollback plan', '--as', 'dave'], cli)).code).toBe(0);

    const own = await gantry(['approve', id, '--as', 'alice'], cli);
    expect(own.code).toBe(2);
    expect(own.stderr).toContain('alice requested this deployment and cannot approve it');
    const second = await gantry(['approve', id, '--as', 'bob', '--comment', 'checked the dashboards'], cli);
    expect(second.code).toBe(0);

    const waited = await gantry(['status', id, '--watch'], { ...cli, timeoutMs: 30_000 });
    expect(waited.stdout).toContain(`${id}: succeeded`);
    expect(readFileSync(marker, 'utf8')).toBe('preflight\ndeploy 3.1.0\n');

    const status = await gantryJson(['status', id], cli);
    expect(status.json.status).toBe('succeeded');
    expect(status.json.approvals).toMatchObject([
      { by: 'bob', role: 'release-manager', comment: 'checked the dashboards' },
    ]);
    expect(status.json.checks.map((c: { by: string }) => c.by)).toEqual(['carol', 'dave']);

    await waitFor(async () => (receiver.received.length >= 4 ? true : undefined), 'four webhook deliveries');
    const events = receiver.received.map((r) => JSON.parse(r.body).event);
    expect(events).toEqual(expect.arrayContaining(['started', 'waiting', 'step', 'succeeded']));
    for (const request of receiver.received) {
      expect(request.path).toBe('/gantry');
      const ok = verifySignature(
        'whsec-abc123',
        String(request.headers['x-gantry-timestamp']),
        request.body,
        String(request.headers['x-gantry-signature']),
      );
      expect(ok).toBe(true);
    }
    const audit = await gantry(['audit', 'verify'], cli);
    expect(audit.code).toBe(0);
  });

  it('exits 1 from deploy --wait when the runbook fails and is rolled back', async () => {
    const planPath = ws.writePlan(
      'failing.yaml',
      'service: billing\nsteps:\n  - run: "true"\n  - run: exit 4\nrollback:\n  steps:\n    - run: "true"\n',
    );
    const result = await gantry(['deploy', planPath, '--version', '1.0.1', '--wait'], { home: ws.home });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('rolled_back');
    expect(result.stdout).toContain('command exited with code 4');
  });

  it('exits 2 with every problem of an invalid plan and starts nothing', async () => {
    const planPath = ws.writePlan('bad.yaml', 'service: billing\nstepz:\n  - run: "true"\n');
    const result = await gantry(['deploy', planPath, '--version', '1.0.1'], { home: ws.home });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:2:1/);
    const history = await gantryJson(['history'], { home: ws.home });
    expect(history.json).toEqual([]);
  });
});
