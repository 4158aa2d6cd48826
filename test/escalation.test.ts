// The escalation ladder and window reminders through the engine, against real journals and real HTTP
// receivers on loopback: levels in order at their times, kept by the journal's clock across an engine
// restart without paging twice, stopped by `gantry ack` (which PagerDuty hears as an acknowledgement), a
// failed deployment's run kept alive until its ladder ends, and reminders sent once each.

import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEvent } from '../src/deployment/describe.js';
import { EVENT } from '../src/deployment/events.js';
import { foldEvents } from '../src/deployment/state.js';
import { acknowledge } from '../src/engine/acknowledge.js';
import { createDeployment } from '../src/engine/create.js';
import { Engine } from '../src/engine/engine.js';
import { giveCommand } from '../src/engine/operator.js';
import { isGantryError } from '../src/errors.js';
import type { Journal, JournalEvent } from '../src/journal/journal.js';
import { journalBackends, type TestJournal } from './support/journal-backends.js';
import { type WebhookReceiver, webhookReceiver } from './support/webhook-receiver.js';
import { type Workspace, workspace } from './support/workspace.js';

const BACKENDS = await journalBackends();

/** A loopback port nobody listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const PD_KEY = 'pd-routing-key-0123456789abcdef';

let ws: Workspace;
let journal: Journal;
let opened: TestJournal;
let engines: Engine[];
let hooks: WebhookReceiver;

for (const backend of BACKENDS) {
  describe.skipIf(!backend.check.available)(`on ${backend.name}`, () => {
    beforeEach(async () => {
      ws = workspace();
      opened = await backend.open();
      journal = opened.journal;
      engines = [];
      hooks = await webhookReceiver();
    });

    afterEach(async () => {
      for (const engine of engines) await engine.close();
      await hooks.close();
      await opened.dispose();
      ws.remove();
    });

    function engine(env: NodeJS.ProcessEnv = {}): Engine {
      const created = new Engine({ journal, pollMs: 20, leaseTtlMs: 3_000, env, home: ws.home });
      engines.push(created);
      return created;
    }

    async function deploy(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
      const planPath = ws.writePlan('plan.yaml', yaml);
      const { deployment } = await createDeployment(journal, {
        planPath,
        version: '2.0.0',
        requestedBy: 'alice',
        env,
      });
      return deployment.id;
    }

    async function waitUntil(predicate: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!(await predicate())) {
        if (Date.now() > deadline) throw new Error('condition not reached in time');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    /** Deliveries of timed notifications (escalation levels, acknowledgements, reminders), oldest first. */
    async function timed(id: string): Promise<JournalEvent[]> {
      return (await journal.readEvents(id)).filter(
        (e) => (e.type === EVENT.notificationSent || e.type === EVENT.notificationFailed) && e.data.key,
      );
    }

    const bodies = (path: string) =>
      hooks.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body));

    it('pages each level of a failed deployment in order at its time, then lets the run end', async () => {
      const closedPort = await freePort();
      const id = await deploy(`
service: shop-api
preflight:
  - run: echo "migrations pending" >&2; exit 1
steps:
  - run: "true"
notify:
  channels:
    oncall: { webhook: "${hooks.url}/oncall" }
    lead: { webhook: "${hooks.url}/lead" }
    vp: { webhook: "${hooks.url}/vp" }
    cto: { webhook: "http://127.0.0.1:${closedPort}/nobody-listens" }
  escalation:
    on: [failed]
    levels:
      - { after: 0ms, channels: [oncall] }
      - { after: 200ms, channels: [lead] }
      - { after: 400ms, channels: [vp] }
      - { after: 600ms, channels: [cto] }
`);
      const started = Date.now();
      expect(await engine().drive(id)).toBe('failed');
      expect(Date.now() - started).toBeGreaterThanOrEqual(600);

      const state = foldEvents(await journal.readEvents(id));
      const sinceMs = Date.parse(state.statusSinceAt);
      const pages = await timed(id);
      expect(pages.map((e) => [e.type, e.data.channel, e.data.event, e.data.level])).toEqual([
        [EVENT.notificationSent, 'oncall', 'escalation', 1],
        [EVENT.notificationSent, 'lead', 'escalation', 2],
        [EVENT.notificationSent, 'vp', 'escalation', 3],
        [EVENT.notificationFailed, 'cto', 'escalation', 4],
      ]);
      // A failed delivery is recorded (after its retries) and does not stop the ladder or fail anything.
      expect(pages[3]?.data.error).toMatch(/ECONNREFUSED/);
      // Each page left no earlier than its `after` past the failure, and not long after it.
      [0, 200, 400].forEach((afterMs, level) => {
        const sentMs = Date.parse(pages[level]?.at ?? '') - sinceMs;
        expect(sentMs).toBeGreaterThanOrEqual(afterMs);
        expect(sentMs).toBeLessThan(afterMs + 1_500); // generous: a loaded 2-core machine
      });
      expect(describeEvent(pages[1] as JournalEvent)).toBe('notified lead (escalation level 2)');

      const [page] = bodies('/oncall');
      expect(page).toMatchObject({
        event: 'failed',
        severity: 'critical',
        escalation: { level: 1, levels: 4, trigger: 'failed', since: state.statusSinceAt },
        deployment: { id, status: 'failed' },
      });
      expect(page.text).toContain('migrations pending');
      expect(page.text).toContain(`gantry ack ${id}`);
      expect(hooks.received.map((r) => r.path)).toEqual(['/oncall', '/lead', '/vp']);

      // Driving the ended deployment again finds the ladder done and sends nothing more.
      expect(await engine().drive(id)).toBe('failed');
      expect(await timed(id)).toHaveLength(4);
    });

    it('stops the ladder of a failed deployment at an acknowledgement and tells the channels already paged', async () => {
      const id = await deploy(`
service: shop-api
preflight:
  - run: exit 1
steps:
  - run: "true"
notify:
  channels:
    oncall: { webhook: "${hooks.url}/oncall" }
    lead: { webhook: "${hooks.url}/lead" }
    vp: { webhook: "${hooks.url}/vp" }
  escalation: [{ after: 0ms, channels: [oncall] }, { after: 300ms, channels: [lead] }, { after: 4s, channels: [vp] }]
`);
      const driving = engine().drive(id);
      await waitUntil(async () => (await timed(id)).some((e) => e.data.level === 2));
      const acked = await acknowledge(journal, id, { user: 'bob', comment: 'looking at it' });
      expect(acked).toEqual({ trigger: 'failed', levelsSent: 2, levels: 3 });
      const ackedAt = Date.now();
      expect(await driving).toBe('failed');
      expect(Date.now() - ackedAt).toBeLessThan(2_000);

      expect(bodies('/vp')).toEqual([]);
      for (const path of ['/oncall', '/lead']) {
        expect(bodies(path).map((b) => b.event)).toEqual(['failed', 'acknowledged']);
        expect(bodies(path)[1]).toMatchObject({
          severity: 'info',
          title: 'shop-api 2.0.0 → production: escalation acknowledged by bob',
        });
      }
      const events = await journal.readEvents(id);
      const ack = events.find((e) => e.type === EVENT.escalationAcknowledged) as JournalEvent;
      expect(ack).toMatchObject({ actor: 'bob', data: { levelsSent: 2, comment: 'looking at it' } });
      expect(describeEvent(ack)).toBe('escalation acknowledged by bob after 2 levels: "looking at it"');

      const again = await acknowledge(journal, id, { user: 'carol' }).catch((thrown) => thrown);
      expect(isGantryError(again, 'GANTRY_INVALID_STATE')).toBe(true);
      expect(again.message).toContain('already acknowledged by bob');
    });

    it('keeps the ladder of an interrupted deployment on the journal clock across an engine restart, paging nobody twice', async () => {
      const pager = await webhookReceiver();
      try {
        const id = await deploy(
          `
service: shop-api
secrets:
  PD_KEY: { env: PD_KEY }
steps:
  - run: echo once
notify:
  channels:
    oncall: { pagerduty: { routingKey: "\${secrets.PD_KEY}", url: "${pager.url}/v2/enqueue" } }
    lead: { webhook: "${hooks.url}/lead" }
    vp: { webhook: "${hooks.url}/vp" }
  on: { succeeded: [oncall] }
  escalation:
    - { after: 0ms, channels: [oncall] }
    - { after: 1500ms, channels: [lead] }
    - { after: 4s, channels: [vp] }
`,
          { PD_KEY },
        );
        const env = { PD_KEY };
        // A previous engine journaled the start of the non-idempotent step, then died.
        await journal.acquireLease(id, { holderId: 'dead-engine', host: 'elsewhere', pid: 1 }, 1);
        await journal.append([
          {
            deploymentId: id,
            fenceHolderId: 'dead-engine',
            events: [
              {
                type: EVENT.stepStarted,
                data: { stepId: 'steps[0]', track: 'main', index: 0, kind: 'run', name: 'x', attempt: 1 },
              },
            ],
          },
        ]);
        await new Promise((resolve) => setTimeout(resolve, 20));

        const first = engine(env);
        const firstRun = first.drive(id).catch((thrown) => thrown);
        await waitUntil(async () => (await timed(id)).length === 1);
        // The engine stops before level 2 is due; the next one starts a little later.
        await first.close();
        await firstRun;
        await new Promise((resolve) => setTimeout(resolve, 400));
        const second = engine(env).drive(id);
        await waitUntil(async () => (await timed(id)).length === 2);

        const state = foldEvents(await journal.readEvents(id));
        expect(state.status).toBe('interrupted');
        const pages = await timed(id);
        expect(pages.map((e) => [e.data.channel, e.data.level])).toEqual([
          ['oncall', 1],
          ['lead', 2],
        ]);
        const lateMs = Date.parse(pages[1]?.at ?? '') - Date.parse(state.statusSinceAt);
        expect(lateMs).toBeGreaterThanOrEqual(1_500);
        expect(lateMs).toBeLessThan(3_000);

        await acknowledge(journal, id, { user: 'bob' });
        await waitUntil(async () => (await timed(id)).length === 4);
        await giveCommand(journal, id, 'retry', { user: 'bob' });
        expect(await second).toBe('succeeded');
        await new Promise((resolve) => setTimeout(resolve, 300));

        expect(bodies('/vp')).toEqual([]);
        expect(bodies('/lead').map((b) => [b.event, b.severity])).toEqual([
          ['interrupted', 'critical'],
          ['acknowledged', 'info'],
        ]);
        // PagerDuty: one incident for the deployment, triggered once, acknowledged, resolved on success.
        const incident = pager.received.map((r) => JSON.parse(r.body));
        expect(incident.map((b) => [b.event_action, b.dedup_key, b.routing_key])).toEqual([
          ['trigger', `gantry/${id}`, PD_KEY],
          ['acknowledge', `gantry/${id}`, PD_KEY],
          ['resolve', `gantry/${id}`, PD_KEY],
        ]);
        expect(incident[0].payload).toMatchObject({
          severity: 'critical',
          component: 'shop-api',
          class: 'interrupted',
        });
        // The routing key is a secret: the journal holds its marker, never its value.
        const rows = JSON.stringify(await journal.readEvents(id));
        expect(rows).not.toContain(PD_KEY);
      } finally {
        await pager.close();
      }
    });

    it('escalates a deployment waiting for an approval only when the plan asks, and stops when it is approved', async () => {
      await journal.putUser('bob', ['release-manager']);
      const id = await deploy(`
service: shop-api
approvals: [{ role: release-manager }]
steps:
  - run: "true"
notify:
  channels: { oncall: { webhook: "${hooks.url}/oncall" }, lead: { webhook: "${hooks.url}/lead" } }
  escalation:
    on: [waiting]
    levels: [{ after: 0ms, channels: [oncall] }, { after: 1s, channels: [lead] }]
`);
      const driving = engine().drive(id);
      await waitUntil(async () => (await timed(id)).length === 1);
      const { approve } = await import('../src/engine/approve.js');
      await approve(journal, id, { user: 'bob' });
      expect(await driving).toBe('succeeded');
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(hooks.received.map((r) => r.path)).toEqual(['/oncall']);
      expect(bodies('/oncall')[0]).toMatchObject({
        event: 'waiting',
        severity: 'info',
        escalation: { level: 1 },
      });
    });

    it('sends each reminder before the window opens once, at its time, and not again after a restart', async () => {
      // A window opening at the start of the minute after next: between 60 and 120 seconds away.
      const opensAt = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 120_000);
      const hhmm = (date: Date) => date.toISOString().slice(11, 16);
      const soonS = Math.floor((opensAt.getTime() - Date.now()) / 1_000) - 3;
      const id = await deploy(`
service: shop-api
window: { timezone: UTC, allow: ["daily ${hhmm(opensAt)}-${hhmm(new Date(opensAt.getTime() + 600_000))}"] }
steps:
  - run: "true"
notify:
  channels:
    team: { webhook: "${hooks.url}/team" }
    deployments: { webhook: "${hooks.url}/deployments" }
    late: { webhook: "${hooks.url}/late" }
  reminders:
    - { before: 24h, channels: [team], message: "shop-api \${version} goes out at the next window" }
    - { before: ${soonS}s, channels: [deployments] }
    - { before: 10s, channels: [late] }
`);
      const first = engine();
      const firstRun = first.drive(id).catch((thrown) => thrown);
      await waitUntil(() => bodies('/team').length === 1);
      expect(bodies('/deployments')).toEqual([]);
      await waitUntil(() => bodies('/deployments').length === 1, 8_000);
      await first.close();
      await firstRun;

      const second = engine().drive(id);
      second.catch(() => undefined); // awaited below; a failed expectation before that must not leave it unhandled
      await waitUntil(async () => foldEvents(await journal.readEvents(id)).status === 'waiting');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(hooks.received.map((r) => r.path)).toEqual(['/team', '/deployments']);
      const [early] = bodies('/team');
      expect(early).toMatchObject({
        event: 'reminder',
        severity: 'info',
        window: { opensAt: opensAt.toISOString() },
      });
      expect(early.text).toBe(
        `shop-api 2.0.0 goes out at the next window (the window opens at ${opensAt.toISOString()})`,
      );
      // Between 57 and 117 seconds before the window: "1m", "1m12s" or "58s".
      expect(bodies('/deployments')[0].title).toMatch(/the deployment window opens in (1m(\d+s)?|\d+s)$/);
      const reminders = await timed(id);
      expect(reminders.map((e) => [e.data.channel, e.data.event])).toEqual([
        ['team', 'reminder'],
        ['deployments', 'reminder'],
      ]);
      const dueMs = opensAt.getTime() - soonS * 1_000;
      expect(Date.parse(reminders[1]?.at ?? '')).toBeGreaterThanOrEqual(dueMs);
      expect(Date.parse(reminders[1]?.at ?? '')).toBeLessThan(dueMs + 2_500);
      await giveCommand(journal, id, 'abort', { user: 'bob' });
      expect(await second).toBe('aborted');
    });
  });
}
