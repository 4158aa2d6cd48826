// bench/rollback-latency: a canary at 10% fails 20% of its requests under 500 requests/s; the automatic rule
// `error_rate > 5% for 2s: rollback` is armed. Measured through the real gantry-proxy, the real engine (SQLite
// journal) and the real rollback watcher: the time from the first failing response a user got to the
// canary's weight being 0 (the `weight.set` of the rollback's traffic step, recorded once the proxy applied
// it), and how many user requests failed. Target: within the rule window + 250 ms (2.25 s).
//
//   npx tsx bench/rollback-latency.ts [--runs 5] [--rate 500]

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDeployment } from '../src/engine/create.js';
import { Engine } from '../src/engine/engine.js';
import { openJournal } from '../src/journal/open.js';
import { waitForProxy } from '../src/proxy/spawn.js';
import { table } from './lib/table.js';

const SAMPLE_APP = fileURLToPath(new URL('../examples/sample-app/server.js', import.meta.url));
const PROXY_MAIN = fileURLToPath(new URL('../src/proxy/main.ts', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/rollback-latency.json', import.meta.url));
const RULE = 'error_rate > 5% for 2s';
const WINDOW_MS = 2000;

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, rate: { type: 'string', default: '500' } },
});
const runs = Number(values.runs);
const ratePerSec = Number(values.rate);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function plan(port: number): string {
  return `service: bench-shop
environment: bench
target:
  local:
    run: exec "${process.execPath}" "${SAMPLE_APP}"
    instances: 1
    listen: 127.0.0.1:${port}
    health: { path: /health, interval: 200ms, startupTimeout: 15s }
    drainTimeout: 1s
    versions:
      bad: { env: { FAULT: "errors:20" } }
strategy:
  canary:
    steps:
      - setWeight: 10
      - wait: 60s
rollback:
  automatic: ["${RULE}"]
`;
}

interface Response {
  endMs: number;
  status: number;
}

/** An open-loop load of `ratePerSec` until stopped; every response's end time and status. */
function load(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const responses: Response[] = [];
  let owed = 0;
  const timer = setInterval(() => {
    owed += ratePerSec / 200;
    for (; owed >= 1; owed--) {
      const req = request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => responses.push({ endMs: Date.now(), status: res.statusCode ?? 0 }));
      });
      req.on('error', () => responses.push({ endMs: Date.now(), status: 0 }));
      req.end();
    }
  }, 5);
  return {
    responses,
    stop: async () => {
      clearInterval(timer);
      await new Promise((resolve) => setTimeout(resolve, 300));
      agent.destroy();
    },
  };
}

const home = mkdtempSync(join(tmpdir(), 'gantry-rollback-latency-'));
let proxy: ChildProcess | undefined;
const rows: (string | number)[][] = [];
const results: Record<string, unknown>[] = [];
try {
  proxy = spawn(process.execPath, ['--import', 'tsx', PROXY_MAIN, '--home', home], {
    stdio: 'ignore',
    env: { ...process.env, GANTRY_HOME: home },
  });
  await waitForProxy(home);
  const journal = await openJournal({ home });
  const engine = new Engine({ journal, home, pollMs: 50 });
  const port = await freePort();
  const planPath = join(home, 'plan.yaml');
  writeFileSync(planPath, plan(port));
  const deploy = async (version: string) => {
    const { deployment } = await createDeployment(journal, {
      planPath,
      version,
      requestedBy: 'bench',
      env: {},
    });
    return { id: deployment.id, status: await engine.drive(deployment.id) };
  };
  const first = await deploy('good');
  if (first.status !== 'succeeded') throw new Error(`the first deployment ended ${first.status}`);
  for (let run = 1; run <= runs; run++) {
    const traffic = load(`http://127.0.0.1:${port}/`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { id, status } = await deploy('bad');
    await traffic.stop();
    const events = await journal.readEvents(id);
    const weightZero = events.find((e) => e.type === 'weight.set' && Number(e.data.weightPct) === 0);
    const canaryOn = events.find((e) => e.type === 'weight.set' && Number(e.data.weightPct) > 0);
    const decision = events.find((e) => e.type === 'analysis.decision' && e.data.tier === 'rollback');
    const failed = traffic.responses.filter((r) => r.status >= 500 || r.status === 0);
    const firstFailMs = Math.min(...failed.map((r) => r.endMs));
    const zeroMs = weightZero ? Date.parse(weightZero.at) : Number.NaN;
    const row = {
      run,
      status,
      firstFailureToWeightZeroMs: zeroMs - firstFailMs,
      canaryOnToDecisionMs: decision && canaryOn ? Date.parse(decision.at) - Date.parse(canaryOn.at) : null,
      decisionToWeightZeroMs: decision ? zeroMs - Date.parse(decision.at) : null,
      failedRequests: failed.length,
      requests: traffic.responses.length,
      explanation: decision?.data.explanation,
    };
    results.push(row);
    rows.push([
      run,
      status,
      row.firstFailureToWeightZeroMs,
      row.canaryOnToDecisionMs ?? '-',
      row.decisionToWeightZeroMs ?? '-',
      `${row.failedRequests}/${row.requests}`,
    ]);
  }
  await engine.close();
  await journal.close();
} finally {
  proxy?.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(home, { recursive: true, force: true });
}

const latencies = results.map((r) => r.firstFailureToWeightZeroMs as number).sort((a, b) => a - b);
console.log(
  `rollback-latency: canary 10% failing 20% at ${ratePerSec} req/s, rule "${RULE}"; target ≤ ${WINDOW_MS + 250} ms\n`,
);
console.log(
  table(
    [
      'run',
      'status',
      'first failure → weight 0 ms',
      'canary on → decision ms',
      'decision → weight 0 ms',
      'failed requests',
    ],
    rows,
  ),
);
const median = latencies[Math.floor((latencies.length - 1) / 2)];
console.log(
  `\nmedian ${median} ms, max ${latencies.at(-1)} ms; ${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}`,
);
console.log(`example decision: ${results[0]?.explanation}`);
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(
  RESULTS,
  `${JSON.stringify({ at: new Date().toISOString(), ratePerSec, rule: RULE, targetMs: WINDOW_MS + 250, medianMs: median, maxMs: latencies.at(-1), runs: results }, null, 2)}\n`,
);
process.exit(0);
