// Runbook 002 (Architect Dashboard API v3.2.0, Kubernetes) end to end through the CLI: the recommended
// blue-green plan in examples/runbooks/002-architect-api, with gantry-proxy as the Service and its blue
// and green Deployments, the stand-in kubectl (exec) and docker on PATH, and the real Postgres. Durations
// run 60480 times faster (the week of post-deployment monitoring takes 10 s; test/support/runbook-plans.ts).
// Six people sign off, one per role, and the checklists are checked by the people on call. The file
// installs blue (3.1.0) once by the same procedure; the failing green runs first, then the healthy one.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dumpText, sql } from '../support/app-database.js';
import type { CliOptions } from '../support/cli.js';
import { freePort } from '../support/local-plans.js';
import { fire, steadyLoad } from '../support/proxy-load.js';
import { addPeople, answerPeople, events, startDeploy } from '../support/runbook-people.js';
import { copyRunbook, type RunbookCopy } from '../support/runbook-plans.js';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/services.js';
import { type WebhookReceiver, webhookReceiver } from '../support/webhook-receiver.js';
import { type Workspace, workspace } from '../support/workspace.js';

const postgres = await requirePostgres();
const REWRITE = { factor: 60_480, spanFloorMs: 3_000 };

const SIGN_OFFS: Array<[string, string]> = [
  ['cto', 'cto-vp-engineering'],
  ['eng-lead', 'engineering-lead'],
  ['devops-lead', 'devops-lead'],
  ['security-lead', 'security-lead'],
  ['product-lead', 'product-lead'],
  ['support-head', 'head-of-support'],
];

/** Every item of a checklist, by its number, checked by one person. */
const all = (count: number, by: string): Array<[string, string]> =>
  Array.from({ length: count }, (_, i) => [String(i + 1), by]);

const CHECKLISTS: Record<string, Array<[string, string]>> = {
  checklist: all(7, 'qa-lead'),
  'Production Checklist': all(25, 'devops-lead'),
  'First Hour (Critical Monitoring)': all(5, 'oncall'),
  'First 4 Hours (Active Monitoring)': all(5, 'oncall'),
  'First 24 Hours (Extended Monitoring)': all(5, 'oncall'),
  'First Week (Validation Period)': all(5, 'eng-lead'),
};

let ws: Workspace;
let db: ScratchDatabase;
let receiver: WebhookReceiver;
let copy: RunbookCopy;
let port: number;
let cli: CliOptions;

beforeAll(async () => {
  if (!postgres.available) return;
  ws = workspace('gantry-runbook-002-');
  db = await createScratchDatabase();
  receiver = await webhookReceiver();
  copy = copyRunbook(ws.dir, '002-architect-api');
  port = await freePort();
  cli = {
    home: ws.home,
    cwd: ws.dir,
    timeoutMs: 240_000,
    env: {
      PATH: `${copy.bin}:${process.env.PATH}`,
      ARCHITECT_DATABASE_URL: db.url,
      ARCHITECT_SLACK_WEBHOOK: `${receiver.url}/deployments`,
      ARCHITECT_SLACK_INCIDENTS: `${receiver.url}/incidents`,
      ARCHITECT_PAGERDUTY_ONCALL: 'test-routing-key',
    },
  };
  await addPeople(cli, Object.fromEntries(SIGN_OFFS.map(([name, role]) => [name, [role]])));
  await install(`http://127.0.0.1:${port}`);
}, 300_000);

beforeEach(() => {
  if (postgres.available) receiver.received.length = 0;
});

afterAll(async () => {
  if (!postgres.available) return;
  await receiver.close();
  ws.remove();
  await db.drop();
});

async function release(version: string, faults: Record<string, string> = {}) {
  const plan = copy.plan('plan.yaml', {
    ...REWRITE,
    outbound: receiver.url,
    port: { from: 8402, to: port },
    faults,
  });
  const deploying = await startDeploy(cli, plan, version);
  return {
    id: deploying.id,
    ...(await answerPeople(cli, deploying, { checklists: CHECKLISTS, approvers: SIGN_OFFS })),
  };
}

/** Blue: 3.1.0 in production, deployed by the same procedure. */
async function install(url: string) {
  const warmup = steadyLoad(url, { ratePerSec: 80, maxDurationMs: 200_000, ok: () => true });
  const installed = await release('3.1.0');
  await warmup.stop();
  expect(installed.result.code, installed.result.stdout + installed.result.stderr).toBe(0);
}

describe.skipIf(!postgres.available)(
  'runbook 002: Architect Dashboard API v3.2.0 (blue-green by selector switch)',
  () => {
    it('switches back to blue and restores the database when green fails one request in five', {
      timeout: 300_000,
    }, async () => {
      const url = `http://127.0.0.1:${port}`;
      const before = await dumpText(db.url);
      const load = steadyLoad(url, { ratePerSec: 80, maxDurationMs: 200_000, ok: () => true });
      const released = await release('3.2.0', { '3.2.0': 'errors:20' });
      await load.stop();
      expect(released.result.code).toBe(1);
      expect(released.final.status).toBe('rolled_back');
      const rollback = (await events(cli, released.id)).find((e) => e.type === 'rollback.started');
      expect(rollback?.data.trigger).toBe('rule');
      expect(rollback?.data.reason).toMatch(/^error_rate of 3\.2\.0 /);
      expect((await fire(url, 20)).byVersion).toEqual({ '3.1.0': 20 });
      expect(await dumpText(db.url)).toBe(before);
      expect(
        receiver.received.some(
          (r) => r.path === '/deployments' && r.body.includes('Production rollback completed - v3.2.0'),
        ),
      ).toBe(true);
    });

    it('switches every request from blue to a healthy green after six sign-offs, migrating through the preview', {
      timeout: 300_000,
    }, async () => {
      const url = `http://127.0.0.1:${port}`;
      const load = steadyLoad(url, { ratePerSec: 80, maxDurationMs: 200_000 });
      const released = await release('3.2.0');
      const seen = await load.stop();
      expect(released.result.code, released.result.stdout + released.result.stderr).toBe(0);
      expect(released.final.status).toBe('succeeded');
      expect(seen.failures).toEqual([]);
      expect(seen.byVersion['3.1.0']).toBeGreaterThan(0);
      expect((await fire(url, 20)).byVersion).toEqual({ '3.2.0': 20 });
      expect(released.final.approvals.map((a) => a.role).sort()).toEqual(
        SIGN_OFFS.map(([, role]) => role).sort(),
      );
      const kinds = await sql(
        db.url,
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'widgets' AND column_name = 'config'",
      );
      expect(kinds[0]?.data_type).toBe('jsonb');
      expect(
        receiver.received.some(
          (r) => r.path === '/deployments' && r.body.includes('Production deployment starting - v3.2.0'),
        ),
      ).toBe(true);
    });
  },
);
