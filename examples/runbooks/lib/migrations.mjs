#!/usr/bin/env node
// STAND-IN for the teams' migration tools (npm run db:migrate:prod, prisma migrate, alembic,
// ./architect-api migrate): a small runner with the same job, over real Postgres through psql.
//   node migrations.mjs DIR up|down|status      DATABASE_URL and GANTRY_VERSION from the environment
// DIR holds VERSION.sql (and VERSION.down.sql when it can be undone). `up` applies, in version order,
// every file up to GANTRY_VERSION not yet recorded in schema_migrations, each in one transaction;
// `down` undoes the newest applied one with its .down.sql; `status` lists them. Versions compare as
// dotted numbers (1.9.8 < 2.0.0 < 2.0.1); a leading "v" and a "-suffix" are ignored.

import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const [dir, command = 'status'] = process.argv.slice(2);
const url = process.env.DATABASE_URL;
if (!dir || !url) {
  console.error('usage: DATABASE_URL=… GANTRY_VERSION=… migrations.mjs DIR up|down|status');
  process.exit(2);
}

const psql = (args) =>
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-tA', ...args], { encoding: 'utf8' }).trim();
const key = (version) =>
  version
    .replace(/^v/, '')
    .split('-')[0]
    .split('.')
    .map((part) => Number(part) || 0);
const compare = (a, b) => {
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};

psql(['-c', 'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())']);
const applied = psql(['-c', 'SELECT version FROM schema_migrations']).split('\n').filter(Boolean).sort(compare);
const files = readdirSync(dir)
  .filter((name) => /^[\w.-]+\.sql$/.test(name) && !name.endsWith('.down.sql'))
  .map((name) => name.slice(0, -4))
  .sort(compare);

if (command === 'status') {
  for (const version of files) console.log(`${applied.includes(version) ? 'applied' : 'pending'}  ${version}`);
} else if (command === 'up') {
  const target = process.env.GANTRY_VERSION ?? files.at(-1) ?? '0';
  const pending = files.filter((v) => !applied.includes(v) && compare(v, target) <= 0);
  for (const version of pending) {
    psql(['-1', '-f', join(dir, `${version}.sql`), '-c', `INSERT INTO schema_migrations (version) VALUES ('${version}')`]);
    console.log(`applied ${version}`);
  }
  if (pending.length === 0) console.log(`no pending migrations up to ${target}`);
} else if (command === 'down') {
  const newest = applied.at(-1);
  if (!newest) {
    console.log('no migration to undo');
  } else {
    psql(['-1', '-f', join(dir, `${newest}.down.sql`), '-c', `DELETE FROM schema_migrations WHERE version = '${newest}'`]);
    console.log(`undid ${newest}`);
  }
} else {
  console.error(`unknown command ${command}: use up, down or status`);
  process.exit(2);
}
