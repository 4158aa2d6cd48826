// Runbook 001 (AstralField v2.1, Vercel + Postgres + Redis) end to end through the CLI: the standard
// zero-downtime deployment (examples/runbooks/001-astralfield/plan.yaml) and the hotfix fast track
// (hotfix.yaml), with gantry-proxy standing in for Vercel, the stand-in app checking the real Postgres and
// Redis, and bin/vercel on PATH. Durations run 8640 times faster (the 24-hour watch takes 10 s; see
// test/support/runbook-plans.ts); the three checklists are checked by named people. The file installs
// 2.0.0 once, by the standard procedure; the failing release runs first (its rollback leaves 2.0.0 as it
// was), then the hotfix fast track, then the healthy v2.1 over the hotfix.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dumpText, sql } from '../support/app-database.js';
import type { CliOptions } from '../support/cli.js';
import { freePort } from '../support/local-plans.js';
import { fire, steadyLoad } from '../support/proxy-load.js';
import { answerChecklists, events, startDeploy } from '../support/runbook-people.js';
import { copyRunbook, type RunbookCopy, requireRedis } from '../support/runbook-plans.js';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/services.js';
import { type WebhookReceiver, webhookReceiver } from '../support/webhook-receiver.js';
import { type Workspace, workspace } from '../support/workspace.js';

const postgres = await requirePostgres();
const redis = await requireRedis();
const REWRITE = { factor: 8640, spanFloorMs: 2_000 };

const CHECKLISTS: Record<string, Array<[string, string]>> = {
  checklist: [
    ['Code review completed', 'senior-backend-engineer'],
    ['Tests passing (unit, integration, E2E)', 'qa-engineer'],
    ['Security scan completed', 'security-operations'],
    ['Performance testing completed', 'qa-engineer'],
    ['Database migrations reviewed', 'database-administrator'],
    ['Environment variables verified', 'development-team-lead'],
  ],
  'Deployment checklist': [
    ['Backup created and verified', 'database-administrator'],
    ['Deployment executed successfully', 'development-team-lead'],
    ['Health checks passing', 'development-team-lead'],
    ['Performance metrics within SLOs', 'senior-backend-engineer'],
    ['No error spikes detected', 'senior-backend-engineer'],
    ['User experience validated', 'qa-engineer'],
  ],
  'Post-Deployment checklist': [
    ['24-hour monitoring period completed', 'development-team-lead'],
    ['Performance trends analyzed', 'senior-backend-engineer'],
    ['User feedback reviewed', 'product-owner'],
    ['Documentation updated', 'development-team-lead'],
    ['Team notified of successful deployment', 'development-team-lead'],
  ],
};

let ws: Workspace;
let db: ScratchDatabase;
let staging: ScratchDatabase;
let receiver: WebhookReceiver;
let copy: RunbookCopy;
let port: number;
let cli: CliOptions;
const ready = postgres.available && redis.available;

beforeAll(async () => {
  if (!ready) return;
  ws = workspace('gantry-runbook-001-');
  db = await createScratchDatabase();
  staging = await createScratchDatabase();
  receiver = await webhookReceiver();
  copy = copyRunbook(ws.dir, '001-astralfield');
  port = await freePort();
  cli = {
    home: ws.home,
    cwd: ws.dir,
    timeoutMs: 240_000,
    env: {
      PATH: `${copy.bin}:${process.env.PATH}`,
      ASTRALFIELD_DATABASE_URL: db.url,
      ASTRALFIELD_STAGING_DATABASE_URL: staging.url,
      ASTRALFIELD_REDIS_URL: redis.url,
      ASTRALFIELD_SLACK_ALERTS: `${receiver.url}/alerts`,
      ASTRALFIELD_STATUS_PAGE: `${receiver.url}/status-page`,
      ASTRALFIELD_SMTP_HOST: '127.0.0.1',
      ASTRALFIELD_PAGERDUTY_PRIMARY: 'test-routing-key-primary',
      ASTRALFIELD_PAGERDUTY_MANAGER: 'test-routing-key-manager',
    },
  };
  await install(`http://127.0.0.1:${port}`);
}, 300_000);

beforeEach(() => {
  if (ready) receiver.received.length = 0;
});

afterAll(async () => {
  if (!ready) return;
  await receiver.close();
  ws.remove();
  await db.drop();
  await staging.drop();
});

async function release(file: string, version: string, faults: Record<string, string> = {}) {
  const plan = copy.plan(file, {
    ...REWRITE,
    outbound: receiver.url,
    port: { from: 8401, to: port },
    faults,
  });
  const deploying = await startDeploy(cli, plan, version);
  return { id: deploying.id, ...(await answerChecklists(cli, deploying, CHECKLISTS)) };
}

/** 2.0.0 in production, as before the runbook's release, deployed by the same standard procedure. */
async function install(url: string) {
  const warmup = steadyLoad(url, { ratePerSec: 40, maxDurationMs: 200_000, ok: () => true });
  const installed = await release('plan.yaml', '2.0.0');
  await warmup.stop();
  expect(installed.result.code, installed.result.stdout + installed.result.stderr).toBe(0);
}

describe.skipIf(!ready)(
  'runbook 001: AstralField v2.1 (zero-downtime on the Vercel stand-in, Postgres, Redis)',
  () => {
    it('rolls a v2.1 that fails one request in five back to 2.0.0, taking a pre-rollback backup and restoring the database', {
      timeout: 300_000,
    }, async () => {
      const url = `http://127.0.0.1:${port}`;
      const before = await dumpText(db.url);
      const load = steadyLoad(url, {
        ratePerSec: 40,
        maxDurationMs: 200_000,
        path: '/api/leagues',
        ok: () => true,
      });
      const released = await release('plan.yaml', '2.1.0', { '2.1.0': 'errors:20' });
      await load.stop();
      expect(released.result.code).toBe(1);
      expect(released.final.status).toBe('rolled_back');
      const journal = await events(cli, released.id);
      const rollback = journal.find((e) => e.type === 'rollback.started');
      // Whichever of the runbook's checks sees the 500s first: the error-rate threshold, or a
      // post-deployment validation step (smoke suite, load test, feature curls) failing on one.
      expect(rollback?.data.reason).toMatch(
        /^(error_rate of 2\.1\.0 |step after\[\d\] \((smoke testing suite|performance validation|curl -f \/api\/\w+)\) failed)/,
      );
      expect(journal.filter((e) => e.type === 'backup.taken').map((e) => e.data.name)).toEqual([
        'db',
        'pre-rollback',
      ]);
      expect(await dumpText(db.url)).toBe(before);
      expect((await fire(url, 20, { path: '/api/health' })).failures).toEqual([]);
      const versions = await fire(url, 20, { path: '/' });
      expect(versions.failures).toEqual([]);
      expect(receiver.received.some((r) => r.path === '/status-page' && r.body.includes('rolled_back'))).toBe(
        true,
      );
    });

    it('runs the hotfix fast track: critical-path tests, the switch, 15 minutes of watching', {
      timeout: 300_000,
    }, async () => {
      const url = `http://127.0.0.1:${port}`;
      const load = steadyLoad(url, { ratePerSec: 40, maxDurationMs: 200_000, path: '/api/leagues' });
      const hotfix = await release('hotfix.yaml', '2.0.1-hotfix');
      const seen = await load.stop();
      expect(hotfix.result.code, hotfix.result.stdout + hotfix.result.stderr).toBe(0);
      expect(seen.failures).toEqual([]);
      const health = await fetch(`${url}/api/health`).then((r) => r.json());
      expect(health.version).toBe('2.0.1-hotfix');
    });

    it('switches every request to v2.1 without one failing, after a verified backup and the migration on staging and production', {
      timeout: 300_000,
    }, async () => {
      const url = `http://127.0.0.1:${port}`;
      const load = steadyLoad(url, { ratePerSec: 40, maxDurationMs: 200_000, path: '/api/leagues' });
      const released = await release('plan.yaml', '2.1.0');
      const seen = await load.stop();
      expect(released.result.code, released.result.stdout + released.result.stderr).toBe(0);
      expect(released.final.status).toBe('succeeded');
      expect(seen.failures).toEqual([]);
      expect((await fire(url, 20, { path: '/api/health' })).failures).toEqual([]);

      // The migration ran on staging first, then production; the backup was restored into a scratch
      // database and compared before anything changed.
      for (const database of [staging, db]) {
        const applied = await sql(database.url, 'SELECT version FROM schema_migrations ORDER BY version');
        expect(applied.map((r) => r.version)).toEqual(['2.0.0', '2.1.0']);
      }
      const journal = await events(cli, released.id);
      expect(journal.find((e) => e.type === 'backup.taken')?.data).toMatchObject({
        name: 'db',
        verified: 'restore',
      });
      expect(released.final.checks).toHaveLength(17);
      expect(receiver.received.some((r) => r.path === '/alerts' && r.body.includes('succeeded'))).toBe(true);
    });
  },
);
