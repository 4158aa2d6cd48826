// Runbook 004 (Sprint 7.5, docker compose + alembic) end to end through the CLI: the staged rollout of
// examples/runbooks/004-sprint-7-5 — 5% → 25% → 100% with the release manager's go/no-go between phases,
// the phase-2 reduction to 5% on degradation, the monitoring cadence and the day-1, day-7 and week 2-4
// sign-offs — with gantry-proxy in place of compose, the stand-in docker-compose (exec) and alembic on
// PATH, and the real Postgres. Four weeks run a million times faster, each phase held at least 8 s so
// the 5% canary still sees enough requests (test/support/runbook-plans.ts). The file installs 1.0.0 once;
// the failing and the degrading releases run first (each rolled back to 1.0.0), the healthy one last.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from '../support/app-database.js';
import { type CliOptions, gantry } from '../support/cli.js';
import { freePort } from '../support/local-plans.js';
import { fire, steadyLoad } from '../support/proxy-load.js';
import {
  addPeople,
  answerPeople,
  events,
  sleep,
  startDeploy,
  status,
  waitingFor,
} from '../support/runbook-people.js';
import { copyRunbook, type RunbookCopy } from '../support/runbook-plans.js';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from '../support/services.js';
import { type WebhookReceiver, webhookReceiver } from '../support/webhook-receiver.js';
import { type Workspace, workspace } from '../support/workspace.js';

const postgres = await requirePostgres();
const REWRITE = { factor: 1_000_000, spanFloorMs: 8_000, stageFloorMs: 2_000 };

const all = (count: number, by: string): Array<[string, string]> =>
  Array.from({ length: count }, (_, i) => [String(i + 1), by]);
const PEOPLE = {
  checklists: {
    checklist: all(29, 'qa-lead'),
    'Day 1 Sign-Off': all(6, 'release-manager-alice'),
    'Day 7 Sign-Off': all(6, 'release-manager-alice'),
    'Week 2-4 Sign-Off': all(5, 'release-manager-alice'),
  },
  approvers: [['release-manager-alice', 'release-manager']] as Array<[string, string]>,
};

let ws: Workspace;
let db: ScratchDatabase;
let receiver: WebhookReceiver;
let copy: RunbookCopy;
let port: number;
let cli: CliOptions;

beforeAll(async () => {
  if (!postgres.available) return;
  ws = workspace('gantry-runbook-004-');
  db = await createScratchDatabase();
  receiver = await webhookReceiver();
  copy = copyRunbook(ws.dir, '004-sprint-7-5');
  port = await freePort();
  cli = {
    home: ws.home,
    cwd: ws.dir,
    timeoutMs: 240_000,
    env: {
      PATH: `${copy.bin}:${process.env.PATH}`,
      PROOFILE_DATABASE_URL: db.url,
      PROOFILE_SLACK: `${receiver.url}/slack`,
      PROOFILE_STATUS_PAGE: `${receiver.url}/status-page`,
      PROOFILE_ANNOUNCEMENTS: `${receiver.url}/announcements`,
      PROOFILE_SMTP_HOST: '127.0.0.1',
      PROOFILE_PAGERDUTY: 'test-routing-key',
      PROOFILE_PAGERDUTY_EVENTS: `${receiver.url}/pagerduty`,
    },
  };
  await addPeople(cli, { 'release-manager-alice': ['release-manager'] });
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

function planFor(faults: Record<string, string> = {}) {
  return copy.plan('plan.yaml', {
    ...REWRITE,
    outbound: receiver.url,
    port: { from: 8404, to: port },
    faults,
  });
}

async function release(version: string, faults: Record<string, string> = {}) {
  const deploying = await startDeploy(cli, planFor(faults), version);
  return { id: deploying.id, ...(await answerPeople(cli, deploying, PEOPLE)) };
}

async function install(url: string) {
  const warmup = steadyLoad(url, { ratePerSec: 100, maxDurationMs: 200_000, ok: () => true });
  const installed = await release('1.0.0');
  await warmup.stop();
  expect(installed.result.code, installed.result.stdout + installed.result.stderr).toBe(0);
}

const columns = async () =>
  (await sql(db.url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'profiles'")).map(
    (c) => c.column_name,
  );

describe.skipIf(!postgres.available)('runbook 004: Sprint 7.5 (staged rollout 5% → 25% → 100%)', () => {
  it('stops the rollout in phase 1 and rolls back, with alembic downgrade, when the canary fails one request in five', {
    timeout: 300_000,
  }, async () => {
    const url = `http://127.0.0.1:${port}`;
    const load = steadyLoad(url, { ratePerSec: 100, maxDurationMs: 200_000, ok: () => true });
    const released = await release('1.1.0', { '1.1.0': 'errors:20' });
    await load.stop();
    expect(released.result.code).toBe(1);
    expect(released.final.status).toBe('rolled_back');
    const journal = await events(cli, released.id);
    const rollback = journal.find((e) => e.type === 'rollback.started');
    expect(rollback?.data.reason).toMatch(/^error_rate of 1\.1\.0 .*> 0\.5%/);
    expect(journal.filter((e) => e.type === 'weight.set').map((e) => e.data.weightPct)).toEqual([5, 0]);
    expect(journal.some((e) => e.type === 'migration.reverted')).toBe(true);
    expect(await columns()).not.toContain('visibility');
    expect((await fire(url, 20)).byVersion).toEqual({ '1.0.0': 20 });
  });

  it('reduces phase 2 back to 5% when latency degrades, retries the phase on resume, and rolls back on abort', {
    timeout: 300_000,
  }, async () => {
    const url = `http://127.0.0.1:${port}`;
    // 1.5 s answers: acceptable in phase 1 (its critical bound is 3 s), a degradation in phase 2 (> 1 s).
    const load = steadyLoad(url, { ratePerSec: 100, maxDurationMs: 200_000, ok: () => true });
    const deploying = await startDeploy(cli, planFor({ '1.1.0': 'latency:1500' }), '1.1.0');
    const people = answerPeople(cli, deploying, PEOPLE);
    const reduced = await waitingFor(cli, deploying.id, /traffic was reduced to 5%/);
    expect(reduced.status).toBe('paused');
    const shares = await fire(url, 400, { concurrency: 64 });
    expect(shares.byVersion['1.1.0'] ?? 0).toBeLessThan(60); // about 5% of 400, far from 25%

    // `gantry resume`: back to 25% and the phase is judged again — the latency is still there.
    const resumed = await gantry(['resume', deploying.id, '--as', 'release-manager-alice'], cli);
    expect(resumed.code, resumed.stderr).toBe(0);
    await sleep(500);
    const again = await waitingFor(cli, deploying.id, /traffic was reduced to 5%/);
    const weights = (await events(cli, deploying.id))
      .filter((e) => e.type === 'weight.set')
      .map((e) => e.data.weightPct);
    expect(weights).toEqual([5, 25, 5, 25, 5]);
    expect(again.status).toBe('paused');

    const aborted = await gantry(['abort', deploying.id, '--as', 'release-manager-alice'], cli);
    expect(aborted.code, aborted.stderr).toBe(0);
    const { result, final } = await people;
    await load.stop();
    expect(result.code).toBe(1);
    expect(final.status).toBe('aborted');
    const decisions = (await events(cli, deploying.id)).filter(
      (e) => e.type === 'analysis.decision' && e.data.tier === 'reduce',
    );
    expect(decisions).toHaveLength(2);
    expect(decisions[0]?.data).toMatchObject({ fromPct: 25, toPct: 5 });
    expect(decisions[0]?.data.explanation).toMatch(/^p95_latency of 1\.1\.0 .*25% → 5%/);
    expect(await columns()).not.toContain('visibility');
    expect((await status(cli, deploying.id)).status).toBe('aborted');
  });

  it('goes 5% → 25% → 100% with a go/no-go before each phase, then watches and signs off day 1, day 7 and weeks 2-4', {
    timeout: 300_000,
  }, async () => {
    const url = `http://127.0.0.1:${port}`;
    const load = steadyLoad(url, { ratePerSec: 100, maxDurationMs: 200_000 });
    const released = await release('1.1.0');
    const seen = await load.stop();
    expect(released.result.code, released.result.stdout + released.result.stderr).toBe(0);
    expect(seen.failures).toEqual([]);
    const journal = await events(cli, released.id);
    expect(journal.filter((e) => e.type === 'weight.set').map((e) => e.data.weightPct)).toEqual([5, 25, 100]);
    // The gate and the two go/no-go reviews, each by the release manager; four sign-off lists.
    expect(released.final.approvals.map((a) => a.by)).toEqual(Array(3).fill('release-manager-alice'));
    expect(released.final.checks).toHaveLength(29 + 6 + 6 + 5);
    expect(await columns()).toContain('visibility');
    const slack = receiver.received.filter((r) => r.path === '/slack').map((r) => r.body);
    for (const phase of ['phase 1 (5%)', 'phase 2 (25%)', 'phase 3'])
      expect(slack.some((body) => body.includes(phase))).toBe(true);
  });
});
