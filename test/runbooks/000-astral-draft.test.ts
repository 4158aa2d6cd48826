// Runbook 000 (Astral Draft v2.0.0, systemd + Postgres) end to end through the CLI: the plan in
// examples/runbooks/000-astral-draft with real gantry-proxy, sample-app processes, HTTP and Postgres.
// Durations run 360 times faster (test/support/runbook-plans.ts: the hour of monitoring takes 10 s);
// the checklists are checked by named people as the runbook's team would. The file installs v1.9.8 once,
// by the same procedure; the failing release runs first (its rollback leaves v1.9.8 as it was), then
// the healthy one.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dumpText, sql } from '../support/app-database.js';
import type { CliOptions } from '../support/cli.js';
import { freePort } from '../support/local-plans.js';
import { fire, steadyLoad } from '../support/proxy-load.js';
import { answerChecklists, events, startDeploy } from '../support/runbook-people.js';
import { copyRunbook, type RunbookCopy } from '../support/runbook-plans.js';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/services.js';
import { type WebhookReceiver, webhookReceiver } from '../support/webhook-receiver.js';
import { type Workspace, workspace } from '../support/workspace.js';

const postgres = await requirePostgres();
const REWRITE = { factor: 360, spanFloorMs: 2_000 };

const TEAM_PREPARATION: Array<[string, string]> = [
  ['Deployment team briefed', 'devops-lead'],
  ['Support team on standby', 'support-lead'],
  ['Communication channels open', 'devops-lead'],
  ['Rollback plan reviewed', 'platform-engineer'],
  ['Emergency contacts confirmed', 'oncall-engineer'],
];
const SUCCESS_CRITERIA: Array<[string, string]> = [
  ['All services healthy', 'platform-engineer'],
  ['Error rate < 0.1%', 'platform-engineer'],
  ['Response time < 200ms', 'platform-engineer'],
  ['All critical paths functional', 'qa-engineer'],
  ['No data loss', 'dba'],
  ['No security incidents', 'security-engineer'],
];

let ws: Workspace;
let db: ScratchDatabase;
let receiver: WebhookReceiver;
let copy: RunbookCopy;
let port: number;
let cli: CliOptions;

beforeAll(async () => {
  if (!postgres.available) return;
  ws = workspace('gantry-runbook-000-');
  db = await createScratchDatabase();
  receiver = await webhookReceiver();
  copy = copyRunbook(ws.dir, '000-astral-draft');
  port = await freePort();
  const hook = (name: string) => `${receiver.url}/${name}`;
  cli = {
    home: ws.home,
    cwd: ws.dir,
    timeoutMs: 240_000,
    env: {
      ASTRALDRAFT_DATABASE_URL: db.url,
      ASTRALDRAFT_SMTP_HOST: '127.0.0.1',
      ASTRALDRAFT_SLACK_DEPLOYMENTS: hook('deployments'),
      ASTRALDRAFT_SLACK_GENERAL: hook('general'),
      ASTRALDRAFT_SLACK_WAR_ROOM: hook('war-room'),
      ASTRALDRAFT_USER_NOTICES: hook('users'),
      ASTRALDRAFT_PAGERDUTY_ONCALL: 'test-routing-key-oncall',
      ASTRALDRAFT_PAGERDUTY_CTO: 'test-routing-key-cto',
    },
  };
  // Traffic for the analysis of the first install (nothing listens before it, so errors are expected).
  const warmup = steadyLoad(`http://127.0.0.1:${port}`, {
    ratePerSec: 40,
    maxDurationMs: 280_000,
    ok: () => true,
  });
  const installed = await release('1.9.8');
  await warmup.stop();
  expect(installed.result.code, installed.result.stdout + installed.result.stderr).toBe(0);
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

/** One release, the people checking the two checklists as the runbook's team would. */
async function release(version: string, faults: Record<string, string> = {}) {
  const plan = copy.plan('plan.yaml', {
    ...REWRITE,
    outbound: receiver.url,
    port: { from: 8400, to: port },
    faults,
  });
  const deploying = await startDeploy(cli, plan, version, { overrideWindow: true });
  const checklists = { checklist: TEAM_PREPARATION, '§8 deployment success criteria': SUCCESS_CRITERIA };
  return { id: deploying.id, ...(await answerChecklists(cli, deploying, checklists)) };
}

describe.skipIf(!postgres.available)('runbook 000: Astral Draft v2.0.0 (recreate, Postgres)', () => {
  it('rolls back a v2.0.0 that fails one request in five, by the runbook own triggers, and restores the database', {
    timeout: 300_000,
  }, async () => {
    const url = `http://127.0.0.1:${port}`;
    const load = steadyLoad(url, { ratePerSec: 40, maxDurationMs: 280_000, ok: () => true });
    const before = await dumpText(db.url);

    const failed = await release('2.0.0', { '2.0.0': 'errors:20' });
    await load.stop();
    expect(failed.result.code).toBe(1);
    expect(failed.final.status).toBe('rolled_back');
    const journal = await events(cli, failed.id);
    const rollback = journal.find((e) => e.type === 'rollback.started');
    expect(rollback?.data.trigger).toBe('rule');
    expect(rollback?.data.reason).toMatch(/^error_rate of 2\.0\.0 /);

    // §4 Manual Rollback Process: v1.9.8 serves again, maintenance is off, the database is as before.
    expect((await fire(url, 20)).byVersion).toEqual({ '1.9.8': 20 });
    expect(await dumpText(db.url)).toBe(before);
    expect(journal.filter((e) => e.type === 'backup.restored').map((e) => e.data.name)).toEqual([
      'db',
      'config',
    ]);
    expect(
      receiver.received.some((r) => r.path === '/deployments' && r.body.includes('rolled back to 1.9.8')),
    ).toBe(true);
  });

  it('takes v2.0.0 live behind the maintenance page, migrates the database and watches it for the hour', {
    timeout: 300_000,
  }, async () => {
    const url = `http://127.0.0.1:${port}`;
    const load = steadyLoad(url, { ratePerSec: 40, maxDurationMs: 280_000, ok: (s) => s < 300 || s === 503 });
    const upgraded = await release('2.0.0');
    const seen = await load.stop();
    expect(upgraded.result.code, upgraded.result.stdout + upgraded.result.stderr).toBe(0);
    expect(upgraded.final.status).toBe('succeeded');

    // Users saw v1.9.8, the maintenance page (503) while the service was stopped, then v2.0.0: no errors.
    expect(seen.failures).toEqual([]);
    expect(seen.statuses[503]).toBeGreaterThan(0);
    expect(seen.byVersion['1.9.8']).toBeGreaterThan(0);
    expect(seen.byVersion['2.0.0']).toBeGreaterThan(0);
    expect((await fire(url, 20)).byVersion).toEqual({ '2.0.0': 20 });

    // §2 Step 3.4: the migration ran on the real database; §1: both backups were taken and verified first.
    const columns = await sql(
      db.url,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'leagues'",
    );
    expect(columns.map((c) => c.column_name)).toContain('draft_format');
    expect(columns.map((c) => c.column_name)).not.toContain('legacy_rank');
    const journal = await events(cli, upgraded.id);
    const backups = journal.filter((e) => e.type === 'backup.taken').map((e) => e.data.name);
    expect(backups).toEqual(['db', 'config']);
    expect(upgraded.final.checks.map((c) => c.by).sort()).toEqual(
      [...TEAM_PREPARATION, ...SUCCESS_CRITERIA].map(([, by]) => by).sort(),
    );

    // §7: users heard of the maintenance and the go-live; the war room of the start and the success.
    const bodies = receiver.received.map((r) => `${r.path} ${r.body}`);
    expect(bodies.some((b) => b.startsWith('/users') && b.includes('scheduled maintenance (v2.0.0)'))).toBe(
      true,
    );
    expect(bodies.some((b) => b.startsWith('/general') && b.includes('2.0.0 is live'))).toBe(true);
    expect(bodies.some((b) => b.startsWith('/war-room') && b.includes('succeeded'))).toBe(true);
  });
});
