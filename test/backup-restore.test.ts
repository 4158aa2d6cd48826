// Backups and restores against a real Postgres, through the CLI as an operator runs them: a release whose
// migration changes and deletes data is rolled back with `restore`, and the database is byte-for-byte what
// it was (pg_dump before = pg_dump after); irreversible migrations, refusals, retention and hand restores.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVENT } from '../src/deployment/events.js';
import { dumpText, SHOP_SCHEMA, sql } from './support/app-database.js';
import { gantry, gantryJson } from './support/cli.js';
import { createScratchDatabase, requirePostgres, type ScratchDatabase } from './support/services.js';
import { type Workspace, workspace } from './support/workspace.js';

const postgres = await requirePostgres();

let ws: Workspace;
let app: ScratchDatabase;

beforeAll(() => {
  if (postgres.available)
    expect(readFileSync(join(import.meta.dirname, '..', 'dist', 'cli', 'main.js'))).toBeTruthy();
});

beforeEach(async () => {
  if (!postgres.available) return;
  ws = workspace();
  app = await createScratchDatabase();
  await sql(app.url, SHOP_SCHEMA);
});

afterEach(async () => {
  if (!postgres.available) return;
  await app.drop();
  ws.remove();
});

const cli = () => ({ home: ws.home, cwd: ws.dir, env: { APP_DB: app.url }, timeoutMs: 120_000 });

/** A release whose migration changes, deletes and adds (up.sql), then fails its health check. */
const UP_SQL = `ALTER TABLE orders ADD COLUMN channel text DEFAULT 'web';
DELETE FROM orders WHERE status = 'new';
UPDATE customers SET email = upper(email);
INSERT INTO customers (email, created_at) VALUES ('late@example.com', now());
CREATE TABLE order_audit (id int);`;
const DOWN_SQL = 'DROP TABLE order_audit; ALTER TABLE orders DROP COLUMN channel;';

function releasePlan(
  options: { verify?: string; irreversible?: boolean; restore?: boolean; keep?: number } = {},
) {
  writeFileSync(join(ws.dir, 'up.sql'), UP_SQL);
  writeFileSync(join(ws.dir, 'down.sql'), DOWN_SQL);
  const psql = (file: string) => `psql "$DB" -v ON_ERROR_STOP=1 -q -f ${file}`;
  const undo = options.irreversible ? 'irreversible: true' : `down: ${psql('down.sql')}`;
  return `
service: shop
secrets:
  DB: { env: APP_DB }
backups: { dir: ./backups, keep: ${options.keep ?? 5} }
backup:
  - name: db
    postgres: { url: "\${secrets.DB}", verify: ${options.verify ?? 'restore'} }
steps:
  - name: orders v2
    migrate:
      up: ${psql('up.sql')}
      ${undo}
      env: { DB: "\${secrets.DB}" }
  - name: health check
    run: 'test "$FAIL" != 1'
    env: { FAIL: "\${version}" }
rollback:
  steps: ${options.restore === false ? '[]' : '[{ restore: db }]'}
`;
}

async function deploy(planYaml: string, version: string) {
  const planPath = ws.writePlan('release.yaml', planYaml);
  const result = await gantryJson(['deploy', planPath, '--version', version, '--wait'], cli());
  return { ...result, id: result.json.id as string };
}

async function eventsOf(id: string) {
  const journal = await ws.openJournal();
  try {
    return await journal.readEvents(id);
  } finally {
    await journal.close();
  }
}

describe.skipIf(!postgres.available)('backup and restore on Postgres', () => {
  it('rolls back a migration that changed and deleted data to exactly the database before the deployment', async () => {
    const before = await dumpText(app.url);
    // Version "1" fails the health check (FAIL=1): the migration's down runs, then the backup is restored.
    const { code, json, id } = await deploy(releasePlan(), '1');
    expect(code).toBe(1);
    expect(json.status).toBe('rolled_back');
    expect(await dumpText(app.url)).toBe(before);

    const events = await eventsOf(id);
    const taken = events.find((e) => e.type === EVENT.backupTaken)?.data;
    expect(taken).toMatchObject({ backupId: `${id}.db`, kind: 'postgres', verified: 'restore' });
    expect(taken?.verification).toMatchObject({ tables: 3, rows: 5700 });
    const file = readFileSync(String(taken?.location));
    expect(file.length).toBe(taken?.sizeBytes);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(file).digest('hex')).toBe(taken?.sha256);
    expect(events.map((e) => e.type)).toContain(EVENT.migrationReverted);
    expect(events.find((e) => e.type === EVENT.backupRestored)?.data).toMatchObject({ backupId: `${id}.db` });
  });

  it('rolls back past an irreversible migration when a verified backup taken before it is restored', async () => {
    const before = await dumpText(app.url);
    const { json, id } = await deploy(releasePlan({ irreversible: true, verify: 'true' }), '1');
    expect(json.status).toBe('rolled_back');
    // No down command ran: the new table survives the restore, and the restore names it.
    const restored = (await eventsOf(id)).find((e) => e.type === EVENT.backupRestored)?.data;
    expect(restored?.leftovers).toEqual(['public.order_audit']);
    await sql(app.url, 'DROP TABLE order_audit');
    expect(await dumpText(app.url)).toBe(before);
  });

  it('stops an irreversible rollback for an operator when no step restores the backup, and goes on once they restore it', async () => {
    const before = await dumpText(app.url);
    const { json, id } = await deploy(
      releasePlan({ irreversible: true, verify: 'true', restore: false }),
      '1',
    );
    expect(json.status).toBe('interrupted');
    const status = (await gantryJson(['status', id], cli())).json;
    expect(status.reason).toContain(`gantry restore ${id}.db`);
    expect(status.reason).toContain(`gantry resume ${id} --retry`);

    const restore = await gantry(['restore', `${id}.db`, '--yes'], cli());
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('tables created after the backup remain: public.order_audit');
    const resumed = await gantry(['resume', id, '--retry'], cli());
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = await waitForStatus(id, ['rolled_back', 'failed']);
    expect(final).toBe('rolled_back');
    await sql(app.url, 'DROP TABLE order_audit');
    expect(await dumpText(app.url)).toBe(before);
  });

  it('refuses to restore a backup that was never verified, and the rollback says so', async () => {
    const { json, id } = await deploy(releasePlan({ verify: 'false' }), '1');
    expect(json.status).toBe('failed');
    const status = (await gantryJson(['status', id], cli())).json;
    const restoreStep = status.steps.find((s: { kind: string }) => s.kind === 'restore');
    expect(restoreStep.error).toContain(`backup ${id}.db was never verified`);
    expect(restoreStep.error).toContain('allowUnverified');
  });

  it('lists backups and restores one by hand, refusing a file that changed since it was taken', async () => {
    const before = await dumpText(app.url);
    const { json, id } = await deploy(releasePlan(), '2');
    expect(json.status).toBe('succeeded');
    const listed = (await gantryJson(['backups', '--service', 'shop'], cli())).json;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      backupId: `${id}.db`,
      verified: 'restore',
      deploymentStatus: 'succeeded',
    });

    await sql(app.url, "DELETE FROM orders WHERE status = 'paid'");
    const unconfirmed = await gantry(['restore', `${id}.db`], cli());
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('confirm with --yes');
    const restored = await gantryJson(['restore', '--deployment', id, '--name', 'db', '--yes'], cli());
    expect(restored.code).toBe(0);
    expect(restored.json.into).toMatch(/\/gantry_test_/);
    expect(restored.json.leftovers).toEqual(['public.order_audit']);
    await sql(app.url, 'DROP TABLE order_audit');
    expect(await dumpText(app.url)).toBe(before);
    const relisted = (await gantryJson(['backups', '--deployment', id], cli())).json;
    expect(relisted[0].restores).toEqual([expect.objectContaining({ by: 'tester' })]);

    writeFileSync(listed[0].location, 'tampered');
    const refused = await gantryJson(['restore', `${id}.db`, '--yes'], cli());
    expect(refused.code).toBe(2);
    expect(refused.json.error.message).toContain('changed since it was taken');
  });

  it('keeps the newest backups of a name and records the deletion of older ones', async () => {
    const ids: string[] = [];
    for (const version of ['2', '3', '4'])
      ids.push((await deploy(releasePlan({ keep: 2, verify: 'true' }), version)).id);
    const all = (await gantryJson(['backups', '--all'], cli())).json as Array<Record<string, any>>;
    const deleted = all.filter((b) => b.deleted).map((b) => b.backupId);
    expect(deleted).toEqual([`${ids[0]}.db`]);
    expect(all.find((b) => b.deleted)?.deleted.reason).toContain('retention (keep 2)');
    expect((await gantryJson(['backups'], cli())).json).toHaveLength(2);
    const refused = await gantryJson(['restore', `${ids[0]}.db`, '--yes'], cli());
    expect(refused.json.error.message).toContain('was deleted by retention');
  });

  it('never writes the database password: not in argv, output, logs or the journal', async () => {
    const password = 'Pw-9f3k2-never-printed';
    const url = new URL(app.url);
    url.password = password; // the test server trusts local connections, so any password is accepted
    // pg_dump and pg_restore shims that record their argv, then run the real tool.
    const shims = join(ws.dir, 'shims');
    mkdirSync(shims);
    for (const tool of ['pg_dump', 'pg_restore']) {
      const real = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      writeFileSync(
        join(shims, tool),
        `#!/bin/sh\necho "$@" >> ${join(ws.dir, 'argv.log')}\nexec ${real} "$@"\n`,
        {
          mode: 0o755,
        },
      );
    }
    const env = { APP_DB: url.toString(), PATH: `${shims}:${process.env.PATH}` };
    const planPath = ws.writePlan('release.yaml', releasePlan());
    const deployed = await gantry(['deploy', planPath, '--version', '1', '--wait'], { ...cli(), env });
    const listed = await gantry(['backups', '-o', 'json'], { ...cli(), env });
    const id = JSON.parse(listed.stdout)[0].backupId as string;
    const restored = await gantry(['restore', id, '--yes'], { ...cli(), env });
    expect(restored.code, restored.stderr).toBe(0);
    const files = [
      join(ws.home, 'gantry.db'),
      ...readdirSync(join(ws.home, 'logs')).map((f) => join(ws.home, 'logs', f)),
    ];
    const argv = readFileSync(join(ws.dir, 'argv.log'), 'utf8');
    expect(argv).toContain('--dbname=postgres://postgres@');
    const written = [
      argv,
      deployed.stdout,
      deployed.stderr,
      listed.stdout,
      restored.stdout,
      restored.stderr,
      ...files.map((f) => readFileSync(f, 'latin1')),
    ];
    for (const text of written) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
  });

  it('backs up and restores files as a checksummed tar.gz', async () => {
    writeFileSync(join(ws.dir, 'settings.env'), 'MODE=old\n');
    // The backup is a step of the runbook here, not the backup section: taken right before the change.
    const planYaml = `
service: config
steps:
  - run: echo MODE=old-but-checked >> settings.env
  - backup: { name: config, files: { paths: [settings.env] } }
  - run: echo MODE=new > settings.env
  - run: exit 1
rollback: { steps: [{ restore: config }] }
`;
    const { json } = await deploy(planYaml, '1');
    expect(json.status).toBe('rolled_back');
    expect(readFileSync(join(ws.dir, 'settings.env'), 'utf8')).toBe('MODE=old\nMODE=old-but-checked\n');
    const [backup] = (await gantryJson(['backups'], cli())).json;
    expect(backup).toMatchObject({ kind: 'files', verified: 'list', source: 'settings.env' });
    expect(backup.location).toMatch(/\.tar\.gz$/);
  });
});

async function waitForStatus(id: string, wanted: string[]): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const status = (await gantryJson(['status', id], cli())).json.status as string;
    if (wanted.includes(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${id} did not reach ${wanted.join(' or ')}`);
}
