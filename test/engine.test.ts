// The engine in-process against a real SQLite journal: plain runbooks, failures, rollback, retries,
// approvals, interruption of non-idempotent steps, plan changes and redaction.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT } from '../src/deployment/events.js';
import { foldEvents } from '../src/deployment/state.js';
import { approve } from '../src/engine/approve.js';
import { createDeployment } from '../src/engine/create.js';
import { Engine } from '../src/engine/engine.js';
import type { RunExtensionFactory } from '../src/engine/extension.js';
import { giveCommand } from '../src/engine/operator.js';
import { isGantryError } from '../src/errors.js';
import { verifyChain } from '../src/journal/audit.js';
import { BatchingJournal } from '../src/journal/batching.js';
import type { Journal } from '../src/journal/journal.js';
import { verifySignature } from '../src/notify/webhook/signature.js';
import { journalBackends, type TestJournal } from './support/journal-backends.js';
import { type WebhookReceiver, webhookReceiver } from './support/webhook-receiver.js';
import { type Workspace, workspace } from './support/workspace.js';

const BACKENDS = await journalBackends();

let ws: Workspace;
let journal: Journal;
let opened: TestJournal;
let engines: Engine[];

for (const backend of BACKENDS) {
  describe.skipIf(!backend.check.available)(`on ${backend.name}`, () => {
    beforeEach(async () => {
      ws = workspace();
      opened = await backend.open();
      journal = new BatchingJournal(opened.journal);
      engines = [];
    });

    afterEach(async () => {
      for (const engine of engines) await engine.close();
      await opened.dispose();
      ws.remove();
    });

    function engine(env: NodeJS.ProcessEnv = {}, extensions?: RunExtensionFactory[]): Engine {
      const created = new Engine({ journal, pollMs: 20, leaseTtlMs: 3_000, env, home: ws.home, extensions });
      engines.push(created);
      return created;
    }

    async function deploy(yaml: string, options: { env?: NodeJS.ProcessEnv; requestedBy?: string } = {}) {
      const planPath = ws.writePlan('plan.yaml', yaml);
      const { deployment } = await createDeployment(journal, {
        planPath,
        version: '2.0.0',
        requestedBy: options.requestedBy ?? 'alice',
        env: options.env ?? {},
      });
      return deployment.id;
    }

    async function eventsOf(id: string) {
      return journal.readEvents(id);
    }

    async function waitUntil(predicate: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!(await predicate())) {
        if (Date.now() > deadline) throw new Error('condition not reached in time');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    describe('engine', () => {
      it('runs a plain runbook to succeeded, one journaled start and success per step', async () => {
        const marker = join(ws.dir, 'ran.txt');
        const id = await deploy(`
  service: shop-api
  preflight:
    - run: echo preflight >> ${marker}
  steps:
    - run: echo "deploying $GANTRY_VERSION" >> ${marker}
    - wait: 50ms
    - run: echo done >> ${marker}
  `);
        const status = await engine().drive(id);
        expect(status).toBe('succeeded');
        expect(readFileSync(marker, 'utf8')).toBe('preflight\ndeploying 2.0.0\ndone\n');
        const events = await eventsOf(id);
        expect(events.filter((e) => e.type === EVENT.stepStarted)).toHaveLength(4);
        expect(events.filter((e) => e.type === EVENT.stepSucceeded)).toHaveLength(4);
        expect(await journal.lockHolder('shop-api', 'production')).toBeUndefined();
        expect((await verifyChain(journal)).ok).toBe(true);
      });

      it('rolls back when a step fails and ends rolled_back after the rollback steps', async () => {
        const marker = join(ws.dir, 'rollback.txt');
        const id = await deploy(`
  service: shop-api
  steps:
    - run: "true"
    - run: echo "migration failed" >&2; exit 3
    - run: echo never >> ${marker}
  rollback:
    steps:
      - run: echo "restoring $GANTRY_PREVIOUS_VERSION" >> ${marker}
  `);
        expect(await engine().drive(id)).toBe('rolled_back');
        expect(readFileSync(marker, 'utf8')).toBe('restoring \n');
        const state = foldEvents(await eventsOf(id));
        expect(state.steps['steps[1]']?.error?.message).toBe('command exited with code 3: migration failed');
        expect(state.rollback?.reason).toContain('steps[1]');
      });

      it('fails without running rollback steps when a preflight check fails', async () => {
        const marker = join(ws.dir, 'rollback.txt');
        const id = await deploy(`
  service: shop-api
  preflight:
    - run: exit 1
  steps:
    - run: "true"
  rollback:
    steps:
      - run: echo ran >> ${marker}
  `);
        expect(await engine().drive(id)).toBe('failed');
        expect(() => readFileSync(marker)).toThrow();
      });

      it('retries a failing step with backoff and succeeds on a later attempt', async () => {
        const counter = join(ws.dir, 'count');
        const id = await deploy(`
  service: shop-api
  steps:
    - run: n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${counter}; [ $n -ge 3 ]
      retries: 3
      backoff: 20ms
  `);
        expect(await engine().drive(id)).toBe('succeeded');
        expect(readFileSync(counter, 'utf8').trim()).toBe('3');
        const failures = (await eventsOf(id)).filter((e) => e.type === EVENT.stepFailed);
        expect(failures).toHaveLength(2);
        expect(failures.every((e) => typeof e.data.retryAt === 'string')).toBe(true);
      });

      it('waits for approvals by role, refusing the requester and counting each person once', async () => {
        await journal.putUser('alice', ['release-manager']);
        await journal.putUser('bob', ['release-manager', 'security-lead']);
        await journal.putUser('carol', ['security-lead']);
        const id = await deploy(`
  service: shop-api
  approvals: [{ role: release-manager }, { role: security-lead }]
  steps:
    - run: "true"
  `);
        const running = engine().drive(id);
        await waitUntil(async () => foldEvents(await eventsOf(id)).status === 'waiting');
        await expect(approve(journal, id, { user: 'alice' })).rejects.toMatchObject({
          code: 'GANTRY_NOT_ALLOWED',
        });
        expect(await approve(journal, id, { user: 'bob', comment: 'looks good' })).toMatchObject({
          role: 'release-manager',
        });
        await expect(approve(journal, id, { user: 'bob' })).rejects.toMatchObject({
          code: 'GANTRY_NOT_ALLOWED',
        });
        expect(await approve(journal, id, { user: 'carol' })).toMatchObject({ role: 'security-lead' });
        expect(await running).toBe('succeeded');
        const state = foldEvents(await eventsOf(id));
        expect(state.approvals.map((a) => [a.by, a.role])).toEqual([
          ['bob', 'release-manager'],
          ['carol', 'security-lead'],
        ]);
        expect(
          (await eventsOf(id)).filter((e) => e.type === EVENT.approvalRefused).map((e) => e.actor),
        ).toEqual(['alice', 'bob']);
      });

      it('interrupts a non-idempotent step cut off by a crash instead of running it again', async () => {
        const id = await deploy(`
  service: shop-api
  steps:
    - run: echo once
  `);
        // A previous engine journaled the start of the step, then died.
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
        const running = engine().drive(id);
        await waitUntil(async () => foldEvents(await eventsOf(id)).status === 'interrupted');
        expect((await eventsOf(id)).filter((e) => e.type === EVENT.stepStarted)).toHaveLength(1);
        await giveCommand(journal, id, 'skip', { user: 'bob' });
        expect(await running).toBe('succeeded');
        expect(foldEvents(await eventsOf(id)).steps['steps[0]']?.outcome).toBe('skipped');
      });

      it('re-runs an idempotent step cut off by a crash', async () => {
        const id = await deploy(`
  service: shop-api
  steps:
    - wait: 10ms
  `);
        await journal.acquireLease(id, { holderId: 'dead-engine', host: 'elsewhere', pid: 1 }, 1);
        await journal.append([
          {
            deploymentId: id,
            fenceHolderId: 'dead-engine',
            events: [
              {
                type: EVENT.stepStarted,
                data: { stepId: 'steps[0]', track: 'main', index: 0, kind: 'wait', name: 'x', attempt: 1 },
              },
            ],
          },
        ]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(await engine().drive(id)).toBe('succeeded');
        expect(foldEvents(await eventsOf(id)).steps['steps[0]']?.attempts).toBe(2);
      });

      it('refuses to resume when the plan expands to different steps, until re-planned', async () => {
        const id = await deploy(`
  service: shop-api
  steps:
    - run: "true"
  `);
        await journal.append([
          { deploymentId: id, events: [{ type: EVENT.planReplaced, data: { planHash: 'something-else' } }] },
        ]);
        const error = await engine()
          .drive(id)
          .catch((thrown) => thrown);
        expect(isGantryError(error, 'GANTRY_PLAN_CHANGED')).toBe(true);
        expect(await engine().drive(id, { replan: true, by: 'bob' })).toBe('succeeded');
      });

      it('aborts a waiting deployment and runs its rollback, ending aborted', async () => {
        const marker = join(ws.dir, 'rb');
        const id = await deploy(`
  service: shop-api
  steps:
    - run: "true"
    - pause: {}
  rollback:
    steps:
      - run: echo rolled >> ${marker}
  `);
        const running = engine().drive(id);
        await waitUntil(async () => foldEvents(await eventsOf(id)).status === 'waiting');
        await giveCommand(journal, id, 'abort', { user: 'bob', reason: 'customer reports' });
        expect(await running).toBe('aborted');
        expect(readFileSync(marker, 'utf8')).toBe('rolled\n');
      });

      it('continues a pause when promoted', async () => {
        const id = await deploy(`
  service: shop-api
  steps:
    - pause: {}
    - run: "true"
  `);
        const running = engine().drive(id);
        await waitUntil(async () => foldEvents(await eventsOf(id)).status === 'waiting');
        await giveCommand(journal, id, 'promote', { user: 'bob' });
        expect(await running).toBe('succeeded');
      });

      it('cuts short the running strategy step that promote --full skips, and goes to 100%', async () => {
        const id = await deploy(`
  service: shop-api
  target:
    command: { start: "echo start \${color}", setTraffic: "true", stop: "echo stop \${color}" }
  strategy:
    canary:
      steps:
        - setWeight: 10
        - wait: 1h
        - setWeight: 50
        - wait: 1h
  `);
        const running = engine().drive(id);
        await waitUntil(async () => foldEvents(await eventsOf(id)).current?.stepId === 'strategy[2]');
        await giveCommand(journal, id, 'promote', { user: 'bob', full: true });
        expect(await running).toBe('succeeded');
        const events = await eventsOf(id);
        const skipped = events.filter((e) => e.type === EVENT.stepSkipped);
        expect(skipped.map((e) => [e.data.stepId, e.actor])).toEqual([
          ['strategy[2]', 'bob'],
          ['strategy[3]', 'bob'],
          ['strategy[4]', 'bob'],
        ]);
        expect(foldEvents(events).weightPct).toBe(100);
      });

      it('skips a strategy check waiting for its retry when promote --full arrives', async () => {
        const id = await deploy(`
  service: shop-api
  target:
    command: { start: "echo start \${color}", setTraffic: "true", stop: "echo stop \${color}" }
  strategy:
    canary:
      steps:
        - setWeight: 10
        - { http: { url: "http://127.0.0.1:9/health" }, retries: 3, backoff: 1h }
  `);
        const running = engine().drive(id);
        await waitUntil(
          async () => foldEvents(await eventsOf(id)).steps['strategy[2]']?.retryAt !== undefined,
        );
        await giveCommand(journal, id, 'promote', { user: 'bob', full: true });
        expect(await running).toBe('succeeded');
        const skipped = (await eventsOf(id)).filter((e) => e.type === EVENT.stepSkipped);
        expect(skipped.map((e) => [e.data.stepId, e.actor])).toEqual([['strategy[2]', 'bob']]);
      });

      it('stops the running step and rolls back when an extension records a rollback decision', async () => {
        const marker = join(ws.dir, 'rb');
        const id = await deploy(`
  service: shop-api
  steps:
    - run: "true"
    - wait: 1h
  rollback:
    steps:
      - run: echo rolled >> ${marker}
  `);
        const breaker: RunExtensionFactory = (run) => {
          let fired = false;
          return {
            onState(state) {
              if (fired || state.current?.stepId !== 'steps[1]') return;
              fired = true;
              void run.record(EVENT.decision, {
                tier: 'rollback',
                explanation: 'error_rate of 2.0.0 was 21% > 5% for 2s',
              });
            },
            stop: async () => undefined,
          };
        };
        const started = Date.now();
        expect(await engine({}, [breaker]).drive(id)).toBe('rolled_back');
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(readFileSync(marker, 'utf8')).toBe('rolled\n');
        const state = foldEvents(await eventsOf(id));
        expect(state.rollback).toMatchObject({
          trigger: 'rule',
          reason: 'error_rate of 2.0.0 was 21% > 5% for 2s',
        });
        expect(state.steps['steps[1]']?.outcome).toBe('failed');
      });

      it('waits outside its deployment window, saying when it opens, and runs at once when overridden', async () => {
        const hour = (new Date().getUTCHours() + 3) % 24;
        const range = `daily ${String(hour).padStart(2, '0')}:00-${String(hour).padStart(2, '0')}:30`;
        const yaml = `
service: shop-api
window: { timezone: UTC, allow: ["${range}"] }
steps:
  - run: "true"
`;
        const id = await deploy(yaml);
        const running = engine().drive(id);
        await waitUntil(async () => foldEvents(await eventsOf(id)).status === 'waiting');
        const waiting = foldEvents(await eventsOf(id));
        expect(waiting.statusReason).toMatch(
          /deployment window \(outside daily .* UTC; opens \d{4}-\d\d-\d\dT\d\d:00:00.000Z\)/,
        );
        await giveCommand(journal, id, 'abort', { user: 'bob' });
        expect(await running).toBe('aborted');

        const planPath = ws.writePlan('window.yaml', yaml);
        const { deployment } = await createDeployment(journal, {
          planPath,
          version: '2.0.1',
          requestedBy: 'alice',
          env: {},
          overrideWindow: { reason: 'hotfix for incident 4711' },
        });
        expect(await engine().drive(deployment.id)).toBe('succeeded');
        const events = await eventsOf(deployment.id);
        expect(events.find((e) => e.type === EVENT.windowOverridden)).toMatchObject({
          actor: 'alice',
          data: { reason: 'hotfix for incident 4711' },
        });
      });

      it('never writes a secret value to the journal', async () => {
        const secret = 'hunter2-very-secret';
        const id = await deploy(
          `
  service: shop-api
  secrets:
    DB_PASSWORD: { env: TEST_DB_PASSWORD }
  steps:
    - run: echo "password is $PW"; exit 1
      env: { PW: "\${secrets.DB_PASSWORD}" }
  `,
          { env: { TEST_DB_PASSWORD: secret } },
        );
        expect(await engine({ TEST_DB_PASSWORD: secret }).drive(id)).toBe('rolled_back');
        const rows = JSON.stringify(await eventsOf(id));
        expect(rows).not.toContain(secret);
        expect(rows).toContain('[redacted:DB_PASSWORD]');
      });

      it('refuses a deployment whose secret is missing, naming it', async () => {
        const error = await deploy(`
  service: shop-api
  secrets:
    API_TOKEN: { env: SURELY_NOT_SET_TOKEN }
  steps:
    - run: "true"
  `).catch((thrown) => thrown);
        expect(isGantryError(error, 'GANTRY_SECRET_MISSING')).toBe(true);
        expect(error.message).toContain('API_TOKEN');
        expect(error.message).toContain('SURELY_NOT_SET_TOKEN');
      });
    });

    describe('notifications', () => {
      let receiver: WebhookReceiver;
      beforeEach(async () => {
        receiver = await webhookReceiver();
      });
      afterEach(() => receiver.close());

      it('sends signed lifecycle notifications and notify steps to a webhook', async () => {
        const id = await deploy(
          `
  service: shop-api
  secrets:
    HOOK_SECRET: { env: HOOK_SECRET }
  steps:
    - notify: { channels: team, message: "deploying \${version}" }
  notify:
    channels:
      team: { webhook: { url: "${receiver.url}/hook", secret: "\${secrets.HOOK_SECRET}" } }
    on: { started: [team], succeeded: [team] }
  `,
          { env: { HOOK_SECRET: 'whsec-123456' } },
        );
        expect(await engine({ HOOK_SECRET: 'whsec-123456' }).drive(id)).toBe('succeeded');
        expect(receiver.received.map((r) => JSON.parse(r.body).event)).toEqual([
          'started',
          'step',
          'succeeded',
        ]);
        for (const request of receiver.received) {
          const { 'x-gantry-timestamp': timestamp, 'x-gantry-signature': signature } = request.headers;
          expect(verifySignature('whsec-123456', String(timestamp), request.body, String(signature))).toBe(
            true,
          );
          expect(verifySignature('wrong-secret', String(timestamp), request.body, String(signature))).toBe(
            false,
          );
        }
        expect(JSON.parse(receiver.received[1]?.body ?? '{}').text).toBe('deploying 2.0.0');
      });

      it('records a failed notification without failing the deployment', async () => {
        receiver.answer(500);
        const id = await deploy(`
  service: shop-api
  steps:
    - notify: team
  notify:
    channels: { team: { webhook: "${receiver.url}" } }
    on: { succeeded: [team] }
  `);
        expect(await engine().drive(id)).toBe('succeeded');
        const failed = (await eventsOf(id)).filter((e) => e.type === EVENT.notificationFailed);
        expect(failed).toHaveLength(1);
        expect(failed[0]?.data.error).toContain('500');
      });
    });
  });
}
