// Zero downtime: constant load (default 1,000 requests/s) through gantry-proxy while Gantry runs a full
// canary 0→100, a blue-green switch, a rolling update of 4 instances and a rollback, one after the other on
// the same service. Every failed request (non-2xx, error, timeout) is counted against its phase. Target: 0.
// Prints a table; writes bench/results/zero-downtime.json.
//
//   npx tsx bench/zero-downtime.ts [--rate 1000] [--connections 50]

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDeployment } from '../src/engine/create.js';
import { Engine } from '../src/engine/engine.js';
import { openJournal } from '../src/journal/open.js';
import { ensureProxy } from '../src/proxy/ensure.js';
import { startPhasedLoad } from './lib/phased-load.js';
import { freePort, stopProxy, writeSamplePlan } from './lib/sample-plans.js';
import { table } from './lib/table.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '50' },
  },
});
const RATE = Number(values.rate);
const RESULTS = fileURLToPath(new URL('./results/zero-downtime.json', import.meta.url));
const INSTANCES = 4;

const CANARY = `  canary:
    steps: [{ setWeight: 5 }, { wait: 1s }, { setWeight: 25 }, { wait: 1s }, { setWeight: 50 }, { wait: 1s }, { setWeight: 75 }, { wait: 1s }, { setWeight: 100 }]`;
const BLUE_GREEN = `  blueGreen:
    prePromotion: [{ http: { url: "http://127.0.0.1:PORT/health", headers: { X-Gantry-Canary: "1" } } }]
    keepPrevious: 2s`;
const ROLLING = '  rolling: { batchSize: 1, betweenBatches: [{ wait: 500ms }] }';
const FAILING = `  canary:
    steps:
      - setWeight: 25
      - wait: 1s
      - http: { url: "http://127.0.0.1:PORT/health", headers: { X-Gantry-Canary: "1" }, expect: { json: { version: none } } }`;

const PHASES = [
  { phase: 'canary 0→100%', version: 'v2', strategy: CANARY, expected: 'succeeded' },
  { phase: 'blue-green switch', version: 'v3', strategy: BLUE_GREEN, expected: 'succeeded' },
  {
    phase: `rolling update of ${INSTANCES} instances`,
    version: 'v4',
    strategy: ROLLING,
    expected: 'succeeded',
  },
  { phase: 'rollback (failed check)', version: 'v5', strategy: FAILING, expected: 'rolled_back' },
];

const home = mkdtempSync(join(tmpdir(), 'gantry-bench-zero-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}/`;
const plan = (name: string, strategy: string) =>
  writeSamplePlan(home, name, {
    service: 'zero',
    port,
    instances: INSTANCES,
    strategy: strategy.replaceAll('PORT', String(port)),
  });

const proxy = await ensureProxy(home);
const journal = await openJournal({ home });
const engine = new Engine({ journal, home });
const deploy = async (path: string, version: string) => {
  const { deployment } = await createDeployment(journal, { planPath: path, version, requestedBy: 'bench' });
  return engine.drive(deployment.id);
};

const outcomes: Record<string, string> = {};
let phases: Awaited<ReturnType<ReturnType<typeof startPhasedLoad>['stop']>> = [];
try {
  outcomes['first deployment (no load)'] = await deploy(plan('first', CANARY), 'v1');
  const load = startPhasedLoad({ url, ratePerSec: RATE, connections: Number(values.connections) });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  for (const step of PHASES) {
    load.phase(step.phase);
    outcomes[step.phase] = await deploy(plan(step.version, step.strategy), step.version);
  }
  load.phase('steady afterwards');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  phases = await load.stop();
} finally {
  await engine.close();
  await stopProxy(proxy).catch(() => undefined);
  await journal.close();
  rmSync(home, { recursive: true, force: true });
}

const rows = phases.map((p) => [
  p.phase,
  outcomes[p.phase] ?? '',
  (p.durationMs / 1000).toFixed(1),
  p.requests,
  Math.round(p.requests / Math.max(0.001, p.durationMs / 1000)),
  p.failed,
]);
const total = phases.reduce(
  (sum, p) => ({ requests: sum.requests + p.requests, failed: sum.failed + p.failed }),
  {
    requests: 0,
    failed: 0,
  },
);
rows.push(['total', '', '', total.requests, '', total.failed]);
console.log(`zero-downtime: ${RATE} requests/s through gantry-proxy, ${INSTANCES} instances per version\n`);
console.log(table(['phase', 'outcome', 'seconds', 'requests', 'req/s', 'failed'], rows));
const expectedOutcomes = PHASES.every((p) => outcomes[p.phase] === p.expected);
console.log(
  `\ntarget: 0 failed requests — ${total.failed === 0 ? 'met' : 'NOT met'}; outcomes ${expectedOutcomes ? 'as expected' : 'NOT as expected'}`,
);
mkdirSync(dirname(RESULTS), { recursive: true });
writeFileSync(
  RESULTS,
  `${JSON.stringify(
    {
      bench: 'zero-downtime',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, loadavg: loadavg() },
      ratePerSec: RATE,
      instances: INSTANCES,
      phases: phases.map((p) => ({ ...p, outcome: outcomes[p.phase] ?? null })),
      total,
      targetMet: total.failed === 0 && expectedOutcomes,
    },
    null,
    2,
  )}\n`,
);
process.exitCode = total.failed === 0 && expectedOutcomes ? 0 : 1;
