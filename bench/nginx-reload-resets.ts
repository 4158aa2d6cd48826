// What an nginx reload does to keep-alive clients (the nginx target reloads nginx at every weight change):
// steady load through plain nginx (no Gantry) while it is reloaded again and again, counted twice: by a
// client that never resends, and by one that resends a GET reset on a reused keep-alive connection, as
// browsers do. Resets on fresh connections, second resets and 5xx stay failures in both.
//
//   npx tsx bench/nginx-reload-resets.ts [--reloads 30] [--every-ms 150] [--rate 300]

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type LoadResult, steadyLoad } from '../test/support/proxy-load.js';
import { NGINX, nginxArgv, startNginx } from './lib/nginx.js';
import { table } from './lib/table.js';
import { waitHttp } from './lib/wait-http.js';

const { values } = parseArgs({
  options: {
    reloads: { type: 'string', default: '30' },
    'every-ms': { type: 'string', default: '150' },
    rate: { type: 'string', default: '300' },
  },
});
const RELOADS = Number(values.reloads);
const EVERY_MS = Number(values['every-ms']);
const RATE = Number(values.rate);
const LISTEN = '127.0.0.1:41811';

const work = mkdtempSync(join(tmpdir(), 'gantry-bench-nginx-reload-'));
const app = createServer((_req, res) => res.end('ok'));
await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
const prefix = join(work, 'nginx');
const nginx = startNginx({
  prefix,
  listen: LISTEN,
  upstreams: [`127.0.0.1:${(app.address() as AddressInfo).port}`],
  keepalive: 16,
  workers: 1,
  user: process.getuid?.() === 0 ? 'root' : undefined,
});

async function underReloads(resend: boolean): Promise<LoadResult> {
  const load = steadyLoad(`http://${LISTEN}/`, { ratePerSec: RATE, resendOnReusedConnectionReset: resend });
  for (let i = 0; i < RELOADS; i++) {
    await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
    execFileSync(NGINX, [...nginxArgv(prefix), '-s', 'reload'], { stdio: 'ignore' });
  }
  return load.stop();
}

try {
  await waitHttp(`http://${LISTEN}/`);
  const runs = [
    { client: 'never resends', result: await underReloads(false) },
    { client: 'resends a GET reset on a reused connection', result: await underReloads(true) },
  ];
  console.log(
    `nginx reloads under keep-alive load: ${RELOADS} reloads every ${EVERY_MS} ms at ${RATE} req/s (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0]?.toFixed(2)})\n`,
  );
  console.log(
    table(
      ['client', 'requests', 'resent', 'failed', 'failures'],
      runs.map(({ client, result }) => [
        client,
        result.sent,
        result.resent,
        result.failures.length,
        [...new Set(result.failures)].join(', ') || '-',
      ]),
    ),
  );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/nginx-reload-resets.json',
    `${JSON.stringify({ reloads: RELOADS, everyMs: EVERY_MS, rate: RATE, runs }, null, 2)}\n`,
  );
  console.log('\nwritten: bench/results/nginx-reload-resets.json');
} finally {
  nginx.kill('SIGQUIT');
  app.close();
  app.closeAllConnections();
  rmSync(work, { recursive: true, force: true });
}
