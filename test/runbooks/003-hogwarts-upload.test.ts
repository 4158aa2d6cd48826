// Runbook 003 (Hogwarts file upload, Terraform + Kubernetes + Postgres) end to end through the CLI: the
// weighted blue-green plan (0% → 10% → 50% → 100%) and the canary loop (canary.yaml) in
// examples/runbooks/003-hogwarts-upload, with gantry-proxy shifting the weights, the stand-in terraform,
// aws, kubectl (exec), docker and k6 on PATH, the real Postgres and Redis. Durations run 120 times faster
// (test/support/runbook-plans.ts); the checklists are checked by the people the runbook names. The file
// installs 1.2.2 once; the failing 1.2.3 runs first (rolled back to 1.2.2), then the healthy 1.2.3, then
// the canary loop to 1.2.4.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
const ready = postgres.available && redis.available;
const REWRITE = { factor: 120, spanFloorMs: 4_000 };

const all = (count: number, by: string): Array<[string, string]> =>
  Array.from({ length: count }, (_, i) => [String(i + 1), by]);
const CHECKLISTS: Record<string, Array<[string, string]>> = {
  checklist: all(14, 'release-lead'),
  'Post-Deployment checklist': all(6, 'platform-engineer'),
  'Rollback checklist': all(5, 'platform-engineering-lead'),
};

let ws: Workspace;
let db: ScratchDatabase;
let receiver: WebhookReceiver;
let copy: RunbookCopy;
let port: number;
let cli: CliOptions;

beforeAll(async () => {
  if (!ready) return;
  ws = workspace('gantry-runbook-003-');
  db = await createScratchDatabase();
  receiver = await webhookReceiver();
  copy = copyRunbook(ws.dir, '003-hogwarts-upload');
  port = await freePort();
  cli = {
    home: ws.home,
    cwd: ws.dir,
    timeoutMs: 240_000,
    env: {
      PATH: `${copy.bin}:${process.env.PATH}`,
      HOGWARTS_DATABASE_URL: db.url,
      HOGWARTS_REDIS_HOST: new URL(redis.url ?? 'redis://127.0.0.1').hostname,
      HOGWARTS_SLACK_CRITICAL: `${receiver.url}/slack-critical`,
      HOGWARTS_SLACK_PLATFORM: `${receiver.url}/slack-platform`,
      HOGWARTS_STATUS_PAGE: `${receiver.url}/status-page`,
      HOGWARTS_PAGERDUTY: 'test-routing-key',
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
});

async function release(file: string, version: string, faults: Record<string, string> = {}) {
  const plan = copy.plan(file, {
    ...REWRITE,
    outbound: receiver.url,
    port: { from: 8403, to: port },
    faults,
  });
  const deploying = await startDeploy(cli, plan, version);
  return { id: deploying.id, ...(await answerChecklists(cli, deploying, CHECKLISTS)) };
}

async function install(url: string) {
  const warmup = steadyLoad(url, { ratePerSec: 100, maxDurationMs: 200_000, ok: () => true });
  const installed = await release('plan.yaml', '1.2.2');
  await warmup.stop();
  expect(installed.result.code, installed.result.stdout + installed.result.stderr).toBe(0);
}

/** The share of each version among requests answered between two moments of a steady load. */
function terraformState() {
  const file = join(copy.dir, 'infrastructure', 'terraform', 'standin-state.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

describe.skipIf(!ready)('runbook 003: Hogwarts file upload (weighted blue-green, canary loop)', () => {
  it('puts every request back on blue, restores the database and rolls Terraform back when green fails', {
    timeout: 300_000,
  }, async () => {
    const url = `http://127.0.0.1:${port}`;
    const before = await dumpText(db.url);
    const load = steadyLoad(url, { ratePerSec: 100, maxDurationMs: 200_000, path: '/', ok: () => true });
    const released = await release('plan.yaml', '1.2.3', { '1.2.3': 'errors:20' });
    await load.stop();
    expect(released.result.code).toBe(1);
    expect(released.final.status).toBe('rolled_back');
    const journal = await events(cli, released.id);
    const rollback = journal.find((e) => e.type === 'rollback.started');
    expect(rollback?.data.trigger).toBe('rule');
    expect(rollback?.data.reason).toMatch(/^error_rate of 1\.2\.3 /);
    // Caught at 10%: the weight never went past it.
    expect(
      Math.max(...journal.filter((e) => e.type === 'weight.set').map((e) => e.data.weightPct)),
    ).toBeLessThanOrEqual(10);
    expect(await dumpText(db.url)).toBe(before);
    expect(terraformState()?.vars.version).toBe('1.2.2');
    expect((await fire(url, 20, { path: '/api/health' })).byVersion).toEqual({ '1.2.2': 20 });
    expect(released.final.checks.length).toBe(14 + 5);
  });

  it('moves users to green at 10%, 50% then 100% after the backup, Terraform and migrations, and validates it', {
    timeout: 300_000,
  }, async () => {
    const url = `http://127.0.0.1:${port}`;
    const load = steadyLoad(url, { ratePerSec: 100, maxDurationMs: 200_000, path: '/api/health' });
    const released = await release('plan.yaml', '1.2.3');
    const seen = await load.stop();
    expect(released.result.code, released.result.stdout + released.result.stderr).toBe(0);
    expect(seen.failures).toEqual([]);
    expect((await fire(url, 20, { path: '/api/health' })).byVersion).toEqual({ '1.2.3': 20 });

    const journal = await events(cli, released.id);
    const weights = journal.filter((e) => e.type === 'weight.set').map((e) => e.data.weightPct);
    expect(weights).toEqual([0, 10, 50, 100].filter((w) => weights.includes(w)));
    expect(weights).toEqual(expect.arrayContaining([10, 50, 100]));
    expect(terraformState()?.vars).toMatchObject({
      blue_weight: '0',
      green_weight: '100',
      environment: 'green',
    });
    const columns = await sql(
      db.url,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'uploads'",
    );
    expect(columns.map((c) => c.column_name)).toContain('content_type');
  });

  it('runs the canary loop 10 → 25 → 50 → 75 → 100 with a judged hold at each weight', {
    timeout: 300_000,
  }, async () => {
    const url = `http://127.0.0.1:${port}`;
    const load = steadyLoad(url, { ratePerSec: 100, maxDurationMs: 200_000, path: '/api/health' });
    const released = await release('canary.yaml', '1.2.4');
    const seen = await load.stop();
    expect(released.result.code, released.result.stdout + released.result.stderr).toBe(0);
    expect(seen.failures).toEqual([]);
    const weights = (await events(cli, released.id))
      .filter((e) => e.type === 'weight.set')
      .map((e) => e.data.weightPct);
    expect(weights.filter((w) => w > 0)).toEqual([10, 25, 50, 75, 100]);
  });
});
