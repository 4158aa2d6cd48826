// Several Gantry instances on one Postgres: three `gantry worker` processes share the deployments. The one
// driving a deployment is SIGKILLed at random points (at least 20 times); another takes over within the
// lease time and resumes by the core's rules (idempotent steps run again, a cut-off non-idempotent step is
// answered as an operator would after checking its effect). Every deployment ends right, the journal shows
// each takeover, and no step ran on two instances at once. A frozen instance (SIGSTOP) loses its deployment
// when its lease expires and, thawed, writes nothing more. A restore killed half-way changes nothing (one
// transaction, its pg_restore dies with its instance) and is simply run again by the next owner.

import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT } from '../src/deployment/events.js';
import { isTerminal } from '../src/deployment/status.js';
import { createDeployment } from '../src/engine/create.js';
import { giveCommand } from '../src/engine/operator.js';
import { verifyChain } from '../src/journal/audit.js';
import type { Journal, JournalEvent } from '../src/journal/journal.js';
import { openJournal } from '../src/journal/open.js';
import { dumpText, SHOP_SCHEMA, sql } from './support/app-database.js';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from './support/services.js';
import { isHolderId, pidOfHolder, WorkerFleet } from './support/worker-fleet.js';
import { type Workspace, workspace } from './support/workspace.js';

const postgres = await requirePostgres();

const LEASE_TTL_MS = 3_000;
const MIN_KILLS = 20;
const MIN_DEPLOYMENTS = 6;
const WAVE = 3;
/** Longer than step.sh runs (0.4s) plus a process start on a busy machine. */
const ORPHAN_GRACE_MS = 1_500;

let ws: Workspace;
let journalDb: ScratchDatabase;
let appDb: ScratchDatabase;
let journal: Journal;
let fleet: WorkerFleet;
const markers = () => join(ws.dir, 'markers');

beforeAll(async () => {
  if (!postgres.available) return;
  ws = workspace('gantry-fleet-');
  journalDb = await createScratchDatabase();
  appDb = await createScratchDatabase();
  await sql(appDb.url, SHOP_SCHEMA);
  journal = await openJournal({ databaseUrl: journalDb.url, home: ws.home });
  // A non-idempotent step: leaves a start and an end marker naming its instance and attempt.
  writeFileSync(
    join(ws.dir, 'step.sh'),
    [
      '#!/bin/sh',
      'mark() { echo "$GANTRY_DEPLOYMENT_ID $GANTRY_STEP_ID $GANTRY_ATTEMPT $INSTANCE $1 $(date +%s%N)" >> "$MARKERS"; }',
      'mark start',
      'sleep 0.4',
      'mark end',
    ].join('\n'),
    { mode: 0o755 },
  );
  fleet = new WorkerFleet({
    size: 3,
    databaseUrl: journalDb.url,
    dir: ws.dir,
    leaseTtl: `${LEASE_TTL_MS / 1000}s`,
    pollMs: 100,
    env: { APP_DB: appDb.url, MARKERS: markers(), GANTRY_USER: 'operator' },
  });
});

afterAll(async () => {
  if (!postgres.available) return;
  await fleet.stop();
  await journal.close();
  await journalDb.drop();
  await appDb.drop();
  ws.remove();
});

function planFor(n: number, fails: boolean): string {
  return `
service: fleet-${n}
secrets: { DB: { env: APP_DB } }
backups: { dir: ${join(ws.dir, 'backups')}, keep: 100 }
backup:
  - { name: db, postgres: { url: "\${secrets.DB}", verify: true } }
steps:
  - run: ${ws.dir}/step.sh
  - wait: 300ms
  - run: ${ws.dir}/step.sh
  - wait: 300ms
  - run: ${ws.dir}/step.sh
${fails ? '  - run: exit 1\n' : ''}rollback:
  steps:
    - run: ${ws.dir}/step.sh
`;
}

interface Marker {
  deploymentId: string;
  stepId: string;
  attempt: number;
  instance: string;
  kind: 'start' | 'end';
  atNs: bigint;
}

async function readMarkers(): Promise<Marker[]> {
  const text = await readFile(markers(), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [deploymentId = '', stepId = '', attempt = '', instance = '', kind = '', at = '0'] =
        line.split(' ');
      return {
        deploymentId,
        stepId,
        attempt: Number(attempt),
        instance,
        kind: kind as Marker['kind'],
        atNs: BigInt(at),
      };
    });
}

/** The operator's answer to an interrupted step: skip it when it took effect, retry when it never started. */
async function answerInterruption(id: string): Promise<void> {
  const events = await journal.readEvents(id);
  const interrupted = [...events].reverse().find((e) => e.type === EVENT.stepInterrupted);
  if (!interrupted || events.some((e) => e.type === EVENT.operatorCommand && e.index > interrupted.index))
    return;
  const stepId = String(interrupted.data.stepId);
  // As an operator would: give a command the dead instance left running time to finish before judging.
  const started = [...events].reverse().find((e) => e.type === EVENT.stepStarted && e.data.stepId === stepId);
  if (Date.now() - Date.parse(started?.at ?? interrupted.at) < ORPHAN_GRACE_MS) return;
  const mine = (await readMarkers()).filter((m) => m.deploymentId === id && m.stepId === stepId);
  const ended = mine.some((m) => m.kind === 'end');
  const running = mine.some(
    (m) => m.kind === 'start' && !mine.some((e) => e.kind === 'end' && e.attempt === m.attempt),
  );
  if (running && !ended) return; // a command orphaned by the kill is still running: look again later
  await giveCommand(journal, id, ended ? 'skip' : 'retry', { user: 'operator' });
}

interface Kill {
  pid: number;
  holderId: string;
  atMs: number;
  driving: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (min: number, max: number) => min + Math.random() * (max - min);

describe.skipIf(!postgres.available)('three instances sharing one Postgres', () => {
  it(`finishes every deployment on another instance across at least ${MIN_KILLS} SIGKILLs of the driving one`, {
    timeout: 600_000,
  }, async () => {
    const kills: Kill[] = [];
    const deployments: Array<{ id: string; fails: boolean }> = [];
    for (let wave = 0; kills.length < MIN_KILLS || deployments.length < MIN_DEPLOYMENTS; wave++) {
      const ids: string[] = [];
      for (let k = 0; k < WAVE; k++) {
        const n = deployments.length;
        const fails = n % 3 === 2;
        const planPath = ws.writePlan(`plan-${n}.yaml`, planFor(n, fails));
        const { deployment } = await createDeployment(journal, {
          planPath,
          version: `1.${n}`,
          requestedBy: 'tester',
          env: { APP_DB: appDb.url },
        });
        deployments.push({ id: deployment.id, fails });
        ids.push(deployment.id);
      }
      const waveDeadline = Date.now() + 120_000;
      for (;;) {
        const records = await Promise.all(ids.map((id) => journal.getDeployment(id)));
        const open = records.filter((r) => r && !isTerminal(r.status));
        if (open.length === 0) break;
        expect(
          Date.now(),
          `wave ${wave} did not finish: ${open.map((r) => `${r?.id} ${r?.status}`)}`,
        ).toBeLessThan(waveDeadline);
        for (const record of open) if (record?.status === 'interrupted') await answerInterruption(record.id);
        await sleep(random(300, 1_200));
        const target = open[Math.floor(Math.random() * open.length)];
        const lease = target && (await journal.getLease(target.id));
        const pid = lease ? pidOfHolder(lease.holderId) : undefined;
        if (!lease || pid === undefined || !fleet.live(pid) || Date.parse(lease.expiresAt) < Date.now())
          continue;
        // Kill only an instance that has started driving (attached), so each owner gets some work done.
        const attached = (await journal.readEvents(target.id)).some(
          (e) => e.type === EVENT.driverAttached && e.data.holderId === lease.holderId,
        );
        if (!attached) continue;
        const leases = await Promise.all(ids.map(async (id) => ({ id, lease: await journal.getLease(id) })));
        const driving = leases.filter((l) => l.lease?.holderId === lease.holderId).map((l) => l.id);
        fleet.killAndReplace(pid);
        kills.push({ pid, holderId: lease.holderId, atMs: Date.now(), driving });
      }
    }

    const allMarkers = await readMarkers();
    let rerunByNewOwner = 0;
    for (const { id, fails } of deployments) {
      const record = await journal.getDeployment(id);
      expect(record?.status, id).toBe(fails ? 'rolled_back' : 'succeeded');
      const events = await journal.readEvents(id);
      expectOneDriverAtATime(id, events);
      expectEachNonIdempotentStepOnce(id, events, allMarkers, fails);
      const backup = events.find((e) => e.type === EVENT.backupTaken);
      expect(backup?.data.verified, `${id} backup`).toBe('list');
      // Only the non-idempotent run steps ever wait for an operator; the others are simply run again.
      for (const event of events.filter((e) => e.type === EVENT.stepInterrupted)) {
        const kind = events.find((e) => e.type === EVENT.stepStarted && e.data.stepId === event.data.stepId)
          ?.data.kind;
        expect(kind, `${id} ${event.data.stepId} interrupted`).toBe('run');
      }
      rerunByNewOwner += idempotentStepsRerun(events);
    }
    expect(
      rerunByNewOwner,
      'idempotent steps (backup, wait) cut off by a kill and run again',
    ).toBeGreaterThan(0);
    for (const kill of kills) expectTakeover(kill, await eventsByDeployment(kill.driving));
    expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
    const selfFenced = [...fleet.byPid.values()].flatMap((w) =>
      w.output
        .join('')
        .split('\n')
        .filter((line) => line.includes('could not renew the lease')),
    );
    if (selfFenced.length > 0) console.log(`instances that stopped themselves:\n${selfFenced.join('\n')}`);
    expect((await verifyChain(journal)).ok).toBe(true);
  });

  it('takes over from a frozen instance once its lease expires; the thawed one writes nothing more', {
    timeout: 120_000,
  }, async () => {
    const planPath = ws.writePlan(
      'frozen.yaml',
      `service: frozen\nsteps:\n  - run: ${ws.dir}/step.sh\n  - wait: 8s\n  - run: ${ws.dir}/step.sh\n`,
    );
    const { deployment } = await createDeployment(journal, { planPath, version: '1', requestedBy: 'tester' });
    const id = deployment.id;
    const waiting = await until(async () => {
      const events = await journal.readEvents(id);
      const started = events.find((e) => e.type === EVENT.stepStarted && e.data.stepId === 'steps[1]');
      return started ?? undefined;
    });
    const frozenHolder = String(waiting.actor);
    const frozenPid = pidOfHolder(frozenHolder) as number;
    const frozen = fleet.byPid.get(frozenPid);
    expect(frozen).toBeDefined();
    frozen?.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    const takeover = await until(async () => {
      const events = await journal.readEvents(id);
      return events.find((e) => e.type === EVENT.driverAttached && e.data.replacing === frozenHolder);
    }, 30_000);
    const takeoverMs = Date.parse(takeover.at) - stoppedAt;
    // The frozen process is alive, so only the lease's expiry lets another take over: within one TTL and a poll.
    expect(takeoverMs).toBeGreaterThan(LEASE_TTL_MS / 3);
    expect(takeoverMs).toBeLessThan(LEASE_TTL_MS + 2_000);
    frozen?.child.kill('SIGCONT');

    const status = await until(async () => {
      const record = await journal.getDeployment(id);
      return record && isTerminal(record.status) ? record.status : undefined;
    }, 60_000);
    expect(status).toBe('succeeded');
    const events = await journal.readEvents(id);
    const lastByFrozen = Math.max(...events.filter((e) => e.actor === frozenHolder).map((e) => e.index));
    expect(lastByFrozen).toBeLessThan(takeover.index);
    expectOneDriverAtATime(id, events);
    // The thawed worker noticed and let go (lease expired unrenewed, or fenced out by the new owner).
    await until(async () => (frozen?.output.join('').includes(`${id}: `) ? true : undefined), 15_000);
    expect(frozen?.output.join('')).toMatch(/stopped driving it/);
  });
  it('restores again on another instance when the one restoring is killed, and the database comes back exactly', {
    timeout: 180_000,
  }, async () => {
    const db = await createScratchDatabase();
    try {
      await sql(db.url, SHOP_SCHEMA);
      // Enough rows that the restore takes a moment: the kill lands while pg_restore is reading the archive.
      await sql(
        db.url,
        "INSERT INTO orders (customer_id, amount_cents, status, note) SELECT 1 + i % 500, i % 977, 'paid', repeat(md5(i::text), 4) FROM generate_series(1, 300000) i",
      );
      const before = await dumpText(db.url);
      const planPath = ws.writePlan(
        'restore.yaml',
        `service: restored
secrets: { DB: { env: RESTORE_DB } }
backups: { dir: ${join(ws.dir, 'backups')} }
backup: [{ name: db, postgres: { url: "\${secrets.DB}", verify: true } }]
steps:
  - { run: 'psql "$DB" -q -c "DELETE FROM orders WHERE id % 2 = 0; DROP TABLE legacy_coupons"', env: { DB: "\${secrets.DB}" } }
  - run: exit 1
rollback: { steps: [{ restore: db }] }
`,
      );
      const env = { RESTORE_DB: db.url };
      // Workers read RESTORE_DB from their environment: two new ones take the place of the fleet.
      await fleet.stop();
      const local = new WorkerFleet({
        size: 2,
        databaseUrl: journalDb.url,
        dir: join(ws.dir, 'restore'),
        leaseTtl: '3s',
        pollMs: 100,
        env,
      });
      try {
        const { deployment } = await createDeployment(journal, {
          planPath,
          version: '1',
          requestedBy: 'tester',
          env,
        });
        const id = deployment.id;
        const restoring = await until(async () => {
          const events = await journal.readEvents(id);
          return events.find((e) => e.type === EVENT.stepStarted && e.data.stepId === 'rollback[0]');
        }, 60_000);
        await sleep(300);
        local.killAndReplace(pidOfHolder(String(restoring.actor)) as number);
        const status = await until(async () => {
          const record = await journal.getDeployment(id);
          return record && isTerminal(record.status) ? record.status : undefined;
        }, 120_000);
        expect(status).toBe('rolled_back');
        const events = await journal.readEvents(id);
        const starts = events.filter((e) => e.type === EVENT.stepStarted && e.data.stepId === 'rollback[0]');
        expect(
          new Set(starts.map((e) => e.actor)).size,
          'the restore ran on two instances, one after the other',
        ).toBe(2);
        expect(await dumpText(db.url)).toBe(before);
      } finally {
        await local.stop();
      }
    } finally {
      await db.drop();
    }
  });
});

/** Once another engine writes for a deployment, an earlier one never writes for it again. */
function expectOneDriverAtATime(id: string, events: JournalEvent[]): void {
  const drivers: string[] = [];
  for (const event of events) {
    if (!isHolderId(event.actor)) continue;
    if (drivers.at(-1) !== event.actor) {
      expect(drivers, `${id}: ${event.actor} wrote again after another engine took over`).not.toContain(
        event.actor,
      );
      drivers.push(event.actor);
    }
  }
  for (const event of events.filter((e) => e.type === EVENT.stepSucceeded || e.type === EVENT.stepFailed)) {
    const start = [...events]
      .reverse()
      .find(
        (e) => e.type === EVENT.stepStarted && e.index < event.index && e.data.stepId === event.data.stepId,
      );
    expect(start?.actor, `${id} ${event.data.stepId}: finished by another engine than started it`).toBe(
      event.actor,
    );
  }
}

/** Each non-idempotent step took effect exactly once, attempts never overlapped, on the instance the journal names. */
function expectEachNonIdempotentStepOnce(
  id: string,
  events: JournalEvent[],
  all: Marker[],
  fails: boolean,
): void {
  const expected = ['steps[0]', 'steps[2]', 'steps[4]', ...(fails ? ['rollback[0]'] : [])];
  const mine = all.filter((m) => m.deploymentId === id);
  expect([...new Set(mine.map((m) => m.stepId))].sort(), id).toEqual(expected.sort());
  for (const stepId of expected) {
    const marks = mine.filter((m) => m.stepId === stepId).sort((a, b) => (a.atNs < b.atNs ? -1 : 1));
    expect(
      marks.filter((m) => m.kind === 'end'),
      `${id} ${stepId} took effect once: ${JSON.stringify(marks, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}\n${events.map((e) => `${e.index} ${e.at} ${e.type} ${e.actor} ${JSON.stringify(e.data).slice(0, 100)}`).join('\n')}`,
    ).toHaveLength(1);
    for (let i = 1; i < marks.length; i++) {
      // Sorted by time, a start must follow the previous attempt's end: never two attempts at once.
      if (marks[i]?.kind === 'start')
        expect(marks[i - 1]?.kind, `${id} ${stepId} attempts overlap`).toBe('end');
    }
    for (const start of marks.filter((m) => m.kind === 'start')) {
      const journaled = events.find(
        (e) => e.type === EVENT.stepStarted && e.data.stepId === stepId && e.data.attempt === start.attempt,
      );
      const pid = pidOfHolder(String(journaled?.actor));
      expect(fleet.byPid.get(pid ?? -1)?.instance, `${id} ${stepId} attempt ${start.attempt}`).toBe(
        start.instance,
      );
    }
  }
}

/**
 * Every deployment the killed instance drove was taken over by another engine, and the journal says so: the
 * next `driver.attached` is a takeover. When it names the killed holder, it came within the lease time; it
 * may name another (one that took the lease after ours and was killed before writing, or took it over in
 * the moment between our look and the kill).
 */
function expectTakeover(kill: Kill, eventsOf: Map<string, JournalEvent[]>): void {
  for (const id of kill.driving) {
    const events = eventsOf.get(id) ?? [];
    const ended = events.find((e) => e.type === EVENT.statusChanged && isTerminal(e.data.to as never));
    if (ended && Date.parse(ended.at) <= kill.atMs) continue;
    const next = events.find(
      (e) => e.type === EVENT.driverAttached && Date.parse(e.at) > kill.atMs && e.actor !== kill.holderId,
    );
    const story = events.map(
      (e) => `${e.index} ${e.type} ${e.actor} ${JSON.stringify(e.data).slice(0, 120)}`,
    );
    expect(
      next?.data.takeover,
      `${id}: no takeover after ${kill.holderId} was killed\n${story.join('\n')}`,
    ).toBe(true);
    // Another engine may have taken the lease over between our look and the kill; then that one was replaced.
    if (next?.data.replacing === kill.holderId) {
      expect(Date.parse(String(next?.at)) - kill.atMs, `${id}: takeover time`).toBeLessThan(LEASE_TTL_MS);
    }
  }
}

/** Idempotent steps (backup, wait) started by one engine and started again by the next one. */
function idempotentStepsRerun(events: JournalEvent[]): number {
  const starters = new Map<string, Set<string>>();
  for (const event of events.filter((e) => e.type === EVENT.stepStarted && e.data.kind !== 'run')) {
    const stepId = String(event.data.stepId);
    starters.set(stepId, (starters.get(stepId) ?? new Set()).add(String(event.actor)));
  }
  return [...starters.values()].filter((holders) => holders.size > 1).length;
}

async function eventsByDeployment(ids: string[]): Promise<Map<string, JournalEvent[]>> {
  return new Map(await Promise.all(ids.map(async (id) => [id, await journal.readEvents(id)] as const)));
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(50);
  }
}
