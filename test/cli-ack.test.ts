// `gantry ack` through the CLI, as the person on call uses it: a deployment fails, its detached engine
// stays alive paging the ladder, the acknowledgement stops it (PagerDuty hears `acknowledge`) and the
// engine exits; the log tells who took it, and no output shows the routing key.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gantry, gantryJson, waitFor } from './support/cli.js';
import { testServer } from './support/gantry-server.js';
import { type WebhookReceiver, webhookReceiver } from './support/webhook-receiver.js';
import { type Workspace, workspace } from './support/workspace.js';

const PD_KEY = 'pd-cli-routing-key-9f8e7d6c5b4a';

let ws: Workspace;
let pager: WebhookReceiver;
let hooks: WebhookReceiver;

beforeEach(async () => {
  ws = workspace();
  pager = await webhookReceiver();
  hooks = await webhookReceiver();
});

afterEach(async () => {
  await pager.close();
  await hooks.close();
  ws.remove();
});

describe('gantry ack', () => {
  it('stops the paging of a failed deployment, records who took it, and lets its engine exit', async () => {
    const planPath = ws.writePlan(
      'plan.yaml',
      `
service: billing
secrets: { PD_KEY: { env: PD_KEY } }
preflight:
  - name: schema is current
    run: exit 1
steps:
  - run: "true"
notify:
  channels:
    oncall: { pagerduty: { routingKey: "\${secrets.PD_KEY}", url: "${pager.url}/v2/enqueue" } }
    lead: { webhook: "${hooks.url}/lead" }
  escalation:
    on: [failed]
    levels: [{ after: 0m, channels: [oncall] }, { after: 30s, channels: [lead] }]
`,
    );
    const cli = { home: ws.home, env: { PD_KEY } };
    const deployed = await gantry(['deploy', planPath, '--version', '4.0.0', '--wait'], cli);
    expect(deployed.code).toBe(1);
    const id = /d-[0-9a-f]+/.exec(deployed.stdout)?.[0] as string;
    expect(deployed.stdout).toContain(`${id}: failed`);

    await waitFor(async () => (pager.received.length === 1 ? true : undefined), 'the first page');
    const escalating = await gantryJson(['status', id], cli);
    expect(escalating.json.status).toBe('failed');
    expect(escalating.json.engine?.pid).toBeGreaterThan(0);

    const acked = await gantry(['ack', id, '--as', 'bob', '--comment', 'on it'], cli);
    expect(acked.code, acked.stderr).toBe(0);
    expect(acked.stdout).toBe(
      `${id}: escalation acknowledged by bob after 1 of 2 level(s); it is still failed\n`,
    );
    await waitFor(async () => (pager.received.length === 2 ? true : undefined), 'the acknowledgement');
    expect(pager.received.map((r) => JSON.parse(r.body).event_action)).toEqual(['trigger', 'acknowledge']);
    await waitFor(
      async () => ((await gantryJson(['status', id], cli)).json.engine === null ? true : undefined),
      'the engine to exit',
    );
    expect(hooks.received).toEqual([]);

    const logs = await gantry(['logs', id], cli);
    expect(logs.stdout).toContain('notified oncall (escalation level 1)');
    expect(logs.stdout).toContain('escalation acknowledged by bob after 1 level: "on it"');
    expect(logs.stdout).toContain('notified oncall (acknowledged)');

    const again = await gantry(['ack', id, '--as', 'carol'], cli);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already acknowledged by bob');

    const status = await gantry(['status', id, '-o', 'json'], cli);
    for (const output of [deployed, acked, logs, status]) {
      expect(output.stdout + output.stderr).not.toContain(PD_KEY);
    }
  });

  it('says there is nothing to acknowledge for a deployment without a ladder, and shows an example in --help', async () => {
    const planPath = ws.writePlan('plan.yaml', 'service: billing\nsteps:\n  - run: "true"\n');
    const cli = { home: ws.home };
    const deployed = await gantry(['deploy', planPath, '--version', '1.0.0', '--wait'], cli);
    const id = /d-[0-9a-f]+/.exec(deployed.stdout)?.[0] as string;
    const refused = await gantry(['ack', id], cli);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${id} has no escalation running (it is succeeded)`);
    expect(refused.stderr).toContain('its plan has no notify.escalation');
    const help = await gantry(['ack', '--help'], cli);
    expect(help.stdout).toContain('gantry ack d-1a2b3c4d5e --as alice --comment');
  });

  it("acknowledges through a server as the token's user, which needs the operate permission", async () => {
    const t = await testServer();
    try {
      const planPath = t.ws.writePlan(
        'plan.yaml',
        `
service: billing
preflight: [{ run: exit 1 }]
steps: [{ run: "true" }]
notify:
  channels: { oncall: { webhook: "${hooks.url}/oncall" }, lead: { webhook: "${hooks.url}/lead" } }
  escalation: [{ after: 0m, channels: [oncall] }, { after: 1m, channels: [lead] }]
`,
      );
      const home = t.ws.home;
      const as = async (name: string, roles: string[]) => ({
        home,
        env: { GANTRY_SERVER: t.url, GANTRY_TOKEN: await t.user(name, roles) },
      });
      const alice = await as('alice', ['deployer']);
      const id = (await gantryJson(['deploy', planPath, '--version', '2.0.0'], alice)).json.id as string;
      await waitFor(async () => (hooks.received.length === 1 ? true : undefined), 'the first page');
      const viewer = await gantry(['ack', id], await as('victor', ['viewer']));
      expect(viewer.code).toBe(2);
      expect(viewer.stderr).toContain('victor (viewer) may not pause, resume, promote, abort');
      const acked = await gantryJson(['ack', id, '--comment', 'mine'], await as('bob', ['deployer']));
      expect(acked.json).toEqual({ id, trigger: 'failed', levelsSent: 1, levels: 2, user: 'bob' });
      await waitFor(
        async () => (hooks.received.length === 2 ? true : undefined),
        'the acknowledgement notice',
      );
      expect(hooks.received.map((r) => [r.path, JSON.parse(r.body).event])).toEqual([
        ['/oncall', 'failed'],
        ['/oncall', 'acknowledged'],
      ]);
    } finally {
      await t.close();
    }
  });
});
