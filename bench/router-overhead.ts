// Router overhead: the sample app straight, through gantry-proxy, and through nginx (keep-alive upstream),
// with the same load tool (autocannon): latency at a fixed 1,000 requests/s and throughput at full speed.
// Prints a table; writes bench/results/router-overhead.json.
//
//   npx tsx bench/router-overhead.ts [--duration 10] [--rate 1000] [--connections 64] [--warmup 2]
//
// Targets: gantry-proxy >= 50% of nginx's throughput, and <= 2 ms added p99 at 1,000 requests/s. Each
// proxy runs one worker (one core), as gantry-proxy is one Node process; each target has its own app process.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { waitForProxy } from '../src/proxy/spawn.js';
import { type LoadFigures, runLoad } from './lib/load.js';
import { NGINX, startNginx } from './lib/nginx.js';
import { table } from './lib/table.js';
import { waitHttp } from './lib/wait-http.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '64' },
    warmup: { type: 'string', default: '2' },
  },
});
const DURATION_SEC = Number(values.duration);
const RATE = Number(values.rate);
const CONNECTIONS = Number(values.connections);
const WARMUP_SEC = Number(values.warmup);

const SAMPLE_APP = fileURLToPath(new URL('../examples/sample-app/server.js', import.meta.url));
const PROXY_MAIN = fileURLToPath(new URL('../src/proxy/main.ts', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/router-overhead.json', import.meta.url));

const children: ChildProcess[] = [];
const work = mkdtempSync(join(tmpdir(), 'gantry-bench-router-'));

function startApp(port: number): ChildProcess {
  const child = spawn(process.execPath, [SAMPLE_APP], {
    env: { ...process.env, PORT: String(port), GANTRY_VERSION: 'direct' },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

async function startGantry(): Promise<string> {
  const home = join(work, 'gantry');
  mkdirSync(home, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', PROXY_MAIN, '--home', home], { stdio: 'ignore' });
  children.push(child);
  const client = await waitForProxy(home);
  const service = await client.declareService('bench', { listen: '127.0.0.1:0' });
  await client.startVersion('bench', 'v1', {
    command: `exec "${process.execPath}" "${SAMPLE_APP}"`,
    instances: 1,
    health: { path: '/health' },
  });
  await client.setWeights('bench', { v1: 100 });
  client.close();
  return `http://${service.address}/`;
}

interface TargetResult {
  target: string;
  fixedRate: LoadFigures;
  max: LoadFigures;
}

async function measure(target: string, url: string): Promise<TargetResult> {
  await waitHttp(url);
  await runLoad({ url, durationSec: WARMUP_SEC, connections: CONNECTIONS });
  const fixedRate = await runLoad({ url, durationSec: DURATION_SEC, connections: 16, ratePerSec: RATE });
  const max = await runLoad({ url, durationSec: DURATION_SEC, connections: CONNECTIONS });
  return { target, fixedRate, max };
}

async function main(): Promise<void> {
  const load = loadavg();
  const results: TargetResult[] = [];
  startApp(41801);
  results.push(await measure('sample app (direct)', 'http://127.0.0.1:41801/'));
  results.push(await measure('gantry-proxy', await startGantry()));
  startApp(41802);
  await waitHttp('http://127.0.0.1:41802/');
  const nginxPrefix = join(work, 'nginx');
  const user = process.getuid?.() === 0 ? 'root' : undefined;
  children.push(
    startNginx({
      prefix: nginxPrefix,
      listen: '127.0.0.1:41803',
      upstreams: ['127.0.0.1:41802'],
      keepalive: 64,
      workers: 1,
      user,
    }),
  );
  results.push(await measure('nginx', 'http://127.0.0.1:41803/'));

  const [direct, gantry, nginx] = results as [TargetResult, TargetResult, TargetResult];
  const summary = {
    throughputRatioGantryOverNginx:
      Math.round((gantry.max.requestsPerSec / nginx.max.requestsPerSec) * 1000) / 1000,
    addedP99MsGantry: Math.round((gantry.fixedRate.p99Ms - direct.fixedRate.p99Ms) * 1000) / 1000,
    addedP99MsNginx: Math.round((nginx.fixedRate.p99Ms - direct.fixedRate.p99Ms) * 1000) / 1000,
  };
  const targets = {
    throughputRatio: { want: '>= 0.5', met: summary.throughputRatioGantryOverNginx >= 0.5 },
    addedP99Ms: { want: '<= 2', met: summary.addedP99MsGantry <= 2 },
  };
  console.log(
    `\nrouter overhead: ${DURATION_SEC}s per run, fixed rate ${RATE}/s over 16 connections, max over ${CONNECTIONS} connections`,
  );
  console.log(
    table(
      ['target', `${RATE}/s p50 ms`, `${RATE}/s p99 ms`, 'max req/s', 'max p50 ms', 'max p99 ms', 'failures'],
      results.map((r) => [
        r.target,
        r.fixedRate.p50Ms,
        r.fixedRate.p99Ms,
        r.max.requestsPerSec,
        r.max.p50Ms,
        r.max.p99Ms,
        r.fixedRate.failures + r.max.failures,
      ]),
    ),
  );
  console.log(
    `\ngantry-proxy / nginx throughput: ${summary.throughputRatioGantryOverNginx} (target >= 0.5: ${targets.throughputRatio.met ? 'met' : 'NOT met'})`,
  );
  console.log(
    `added p99 at ${RATE}/s: gantry-proxy ${summary.addedP99MsGantry} ms (target <= 2: ${targets.addedP99Ms.met ? 'met' : 'NOT met'}), nginx ${summary.addedP99MsNginx} ms`,
  );
  mkdirSync(join(RESULTS, '..'), { recursive: true });
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryBytes: totalmem(),
    loadAverageAtStart: load,
    node: process.version,
    nginx: NGINX,
  };
  const settings = {
    durationSec: DURATION_SEC,
    ratePerSec: RATE,
    fixedRateConnections: 16,
    maxConnections: CONNECTIONS,
    warmupSec: WARMUP_SEC,
    nginxWorkers: 1,
  };
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ at: new Date().toISOString(), machine, settings, results, summary, targets }, null, 2)}\n`,
  );
  console.log(`\nwrote ${RESULTS}`);
}

function cleanup(): void {
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}

main()
  .catch((error: Error) => {
    console.error(`router-overhead failed: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => {
    cleanup();
    // The proxy stops its instance on SIGTERM; give it a moment before this process (their parent) exits.
    setTimeout(() => process.exit(), 1500);
  });
