// Backups, restores and takeovers at a realistic size: builds a ~1 GiB Postgres database (logged tables,
// INSERT … SELECT generate_series), times a backup with `verify: true` and with `verify: restore`, and a
// restore (pg_restore --clean --if-exists in one transaction) through the same code the steps use. Then
// three `gantry worker` processes share a Postgres journal and the one driving a deployment is SIGKILLed
// (N trials) or frozen with SIGSTOP (the lease must expire, as when another machine dies): time until
// another instance has taken the deployment over. Writes bench/results/backup-restore.json.
//
//   npx tsc -p tsconfig.build.json && node scripts/copy-assets.mjs     # the workers run dist/
//   npx tsx bench/backup-restore.ts [--size-mb 1024] [--kills 10] [--freezes 3] [--lease-ttl 15s] [--poll-ms 1000]

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pgConnection } from '../src/backup/postgres/connection.js';
import { refusalOf, restoreBackup } from '../src/backup/restore.js';
import { takeBackup } from '../src/backup/take.js';
import { EVENT } from '../src/deployment/events.js';
import { createDeployment } from '../src/engine/create.js';
import { giveCommand } from '../src/engine/operator.js';
import type { Journal } from '../src/journal/journal.js';
import { openJournal } from '../src/journal/open.js';
import type { Backup } from '../src/plan/schema/backup.js';
import { formatBytes } from '../src/units/bytes.js';
import { parseDuration } from '../src/units/duration.js';
import { pidOfHolder, WorkerFleet } from '../test/support/worker-fleet.js';
import { requireBuilt } from './lib/built.js';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '1024' },
    kills: { type: 'string', default: '10' },
    freezes: { type: 'string', default: '3' },
    'lease-ttl': { type: 'string', default: '15s' },
    'poll-ms': { type: 'string', default: '1000' },
    'postgres-url': {
      type: 'string',
      default: process.env.GANTRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const SIZE_BYTES = Number(values['size-mb']) * 2 ** 20;
const SERVER = values['postgres-url'] as string;
requireBuilt('bench/backup-restore');
const work = mkdtempSync(join(tmpdir(), 'gantry-bench-backup-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

async function admin<T>(use: (client: pg.Client) => Promise<T>, database?: string): Promise<T> {
  const url = new URL(SERVER);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function scratch(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

const BATCH_ROWS = 1_000_000;

/** Two logged tables filled in batches until the database holds about SIZE_BYTES, then their indexes. */
async function generate(database: string): Promise<{ bytes: number; rows: number; ms: number }> {
  const started = performance.now();
  await admin(async (c) => {
    await c.query(`CREATE TABLE orders (id bigint NOT NULL, customer_id int NOT NULL, amount_cents int NOT NULL,
      status text NOT NULL, created_at timestamptz NOT NULL, note text)`);
    await c.query(`CREATE TABLE order_events (id bigint NOT NULL, order_id bigint NOT NULL, kind text NOT NULL,
      payload text NOT NULL, at timestamptz NOT NULL)`);
  }, database);
  const fill = (table: 'orders' | 'order_events', from: number) =>
    admin(async (c) => {
      await c.query('SET synchronous_commit = off');
      const to = from + BATCH_ROWS - 1;
      await c.query(
        table === 'orders'
          ? `INSERT INTO orders SELECT i, i % 100000, ((i::bigint * 7919) % 100000)::int, (ARRAY['new','paid','shipped','refunded'])[1 + i % 4],
               timestamptz '2025-01-01' + i * interval '1 second', md5(i::text) FROM generate_series(${from}, ${to}) i`
          : `INSERT INTO order_events SELECT i, i / 2, (ARRAY['created','paid','packed','shipped'])[1 + i % 4],
               md5(i::text) || md5((i + 1)::text), timestamptz '2025-01-01' + i * interval '1 second' FROM generate_series(${from}, ${to}) i`,
      );
    }, database);
  const size = () =>
    admin(
      async (c) => Number((await c.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n),
      database,
    );
  let rows = 0;
  // Indexes add about a sixth afterwards; the two tables fill in parallel, one connection each.
  for (let batch = 0; (await size()) < SIZE_BYTES * 0.85; batch++) {
    await Promise.all([fill('orders', batch * BATCH_ROWS + 1), fill('order_events', batch * BATCH_ROWS + 1)]);
    rows += 2 * BATCH_ROWS;
    process.stdout.write(`  generated ${rows.toLocaleString('en')} rows, ${formatBytes(await size())}\r`);
  }
  await admin(async (c) => {
    await c.query("SET maintenance_work_mem = '256MB'");
    await c.query('ALTER TABLE orders ADD PRIMARY KEY (id)');
    await c.query('ALTER TABLE order_events ADD PRIMARY KEY (id)');
    await c.query('CREATE INDEX orders_by_customer ON orders (customer_id)');
    await c.query('VACUUM ANALYZE');
  }, database);
  process.stdout.write('\n');
  return { bytes: await size(), rows, ms: Math.round(performance.now() - started) };
}

async function backupOnce(url: string, verify: true | 'restore', deploymentId: string) {
  const spec: Backup = { name: 'db', postgres: { url, verify }, timeout: 3 * 3_600_000 };
  const started = performance.now();
  const outcome = await takeBackup({
    spec,
    render: (value) => value,
    root: join(work, 'backups'),
    owner: { service: 'bench', environment: 'bench', deploymentId },
    attempt: 1,
    planDir: work,
    signal: new AbortController().signal,
    redact: (text) => text,
  });
  if (!outcome.ok) throw new Error(outcome.message);
  return { ms: Math.round(performance.now() - started), record: outcome.record };
}

interface TakeoverTrial {
  how: 'SIGKILL' | 'SIGSTOP';
  ms: number;
}

/** One deployment, driven by one of the fleet; its driver is killed or frozen; time until another attaches. */
async function takeoverTrial(journal: Journal, fleet: WorkerFleet, how: TakeoverTrial['how'], n: number) {
  const planPath = join(work, `takeover-${n}.yaml`);
  writeFileSync(planPath, `service: takeover-${n}\nsteps:\n  - wait: 10m\n`);
  const { deployment } = await createDeployment(journal, { planPath, version: '1', requestedBy: 'bench' });
  const id = deployment.id;
  const driver = await until(async () => {
    const events = await journal.readEvents(id);
    return events.find((e) => e.type === EVENT.stepStarted)?.actor ?? undefined;
  });
  const pid = pidOfHolder(driver) as number;
  const worker = fleet.byPid.get(pid);
  if (!worker) throw new Error(`the driver ${driver} is not one of the fleet`);
  const at = Date.now();
  if (how === 'SIGKILL') fleet.killAndReplace(pid);
  else worker.child.kill('SIGSTOP');
  const attached = await until(async () => {
    const events = await journal.readEvents(id);
    return events.find((e) => e.type === EVENT.driverAttached && e.data.replacing === driver);
  }, 120_000);
  if (how === 'SIGSTOP') fleet.killAndReplace(pid);
  await giveCommand(journal, id, 'abort', { user: 'bench' });
  await until(async () => ((await journal.getDeployment(id))?.status === 'aborted' ? true : undefined));
  return { how, ms: Date.parse(attached.at) - at };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function stats(ms: number[]): { median: number; max: number; n: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0,
    max: sorted.at(-1) ?? 0,
    n: sorted.length,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const machine = {
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
console.log(
  `backup/restore benchmark (${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node})\n`,
);

const app = await scratch('gantry_bench_app');
let data: Awaited<ReturnType<typeof generate>>;
let listed: Awaited<ReturnType<typeof backupOnce>>;
let restoredBackup: Awaited<ReturnType<typeof backupOnce>>;
let restoreMs: number;
try {
  console.log(`generating about ${formatBytes(SIZE_BYTES)} in ${app.name}`);
  data = await generate(app.name);
  console.log(`  ${formatBytes(data.bytes)}, ${data.rows.toLocaleString('en')} rows in ${seconds(data.ms)}`);
  listed = await backupOnce(app.url, true, 'd-bench00001');
  console.log(
    `backup, verify: true      ${seconds(listed.ms)}  (${formatBytes(listed.record.sizeBytes)} archive)`,
  );
  restoredBackup = await backupOnce(app.url, 'restore', 'd-bench00002');
  console.log(`backup, verify: restore   ${seconds(restoredBackup.ms)}`);
  // As the restore step does: the refusals first (the archive's checksum is read back), then the restore.
  const started = performance.now();
  const refusal = await refusalOf(listed.record, { allowUnverified: false });
  if (refusal) throw new Error(refusal.message);
  const restored = await restoreBackup({
    backup: listed.record,
    target: { kind: 'postgres', connection: pgConnection(app.url) },
    signal: new AbortController().signal,
    timeoutMs: 3 * 3_600_000,
    redact: (text) => text,
  });
  if (!restored.ok) throw new Error(restored.message);
  restoreMs = Math.round(performance.now() - started);
  console.log(`restore                   ${seconds(restoreMs)}`);
} finally {
  await app.drop();
}

const journalDb = await scratch('gantry_bench_journal');
const journal = await openJournal({ databaseUrl: journalDb.url, home: join(work, 'home') });
const ttlMs = parseDuration(values['lease-ttl'] as string) as number;
const fleet = new WorkerFleet({
  size: 3,
  databaseUrl: journalDb.url,
  dir: work,
  leaseTtl: values['lease-ttl'] as string,
  pollMs: Number(values['poll-ms']),
  env: {},
});
const trials: TakeoverTrial[] = [];
try {
  let n = 0;
  for (let k = 0; k < Number(values.kills); k++)
    trials.push(await takeoverTrial(journal, fleet, 'SIGKILL', n++));
  for (let k = 0; k < Number(values.freezes); k++)
    trials.push(await takeoverTrial(journal, fleet, 'SIGSTOP', n++));
} finally {
  await fleet.stop();
  await journal.close();
  await journalDb.drop();
  rmSync(work, { recursive: true, force: true });
}
const killed = stats(trials.filter((t) => t.how === 'SIGKILL').map((t) => t.ms));
const frozen = stats(trials.filter((t) => t.how === 'SIGSTOP').map((t) => t.ms));

console.log(`\n| measure | value |\n|---|---|`);
console.log(
  `| database (pg_database_size) | ${formatBytes(data.bytes)}, ${data.rows.toLocaleString('en')} rows |`,
);
console.log(
  `| backup with verify: true (pg_dump -Fc + pg_restore --list + SHA-256) | ${seconds(listed.ms)} |`,
);
console.log(
  `| backup with verify: restore (+ restore into scratch, row counts) | ${seconds(restoredBackup.ms)} |`,
);
console.log(`| archive size | ${formatBytes(listed.record.sizeBytes)} |`);
console.log(
  `| restore (SHA-256 check + pg_restore --clean --if-exists --single-transaction) | ${seconds(restoreMs)} |`,
);
console.log(
  `| takeover after SIGKILL, same machine (${killed.n} trials) | median ${seconds(killed.median)}, max ${seconds(killed.max)} |`,
);
console.log(
  `| takeover after SIGSTOP, lease expiry (${frozen.n} trials, TTL ${values['lease-ttl']}) | median ${seconds(frozen.median)}, max ${seconds(frozen.max)} |`,
);

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/backup-restore.json',
  `${JSON.stringify(
    {
      machine,
      database: data,
      backup: {
        verifyList: { ms: listed.ms, archiveBytes: listed.record.sizeBytes },
        verifyRestore: { ms: restoredBackup.ms },
      },
      restore: { ms: restoreMs },
      takeover: {
        leaseTtlMs: ttlMs,
        pollMs: Number(values['poll-ms']),
        sigkill: killed,
        sigstop: frozen,
        trials,
      },
    },
    null,
    2,
  )}\n`,
);
console.log('\nwritten: bench/results/backup-restore.json');
