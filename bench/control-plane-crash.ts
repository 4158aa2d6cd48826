// Control-plane crash: canary deployments through gantry-proxy under constant load, the engine process
// (`gantry worker`) killed with SIGKILL at random points of each canary and resumed with `gantry resume`,
// until 20 kills landed on a live engine. The data plane keeps serving at the last weights throughout;
// targets: 0 failed user requests, and every deployment ends succeeded with all traffic on its version and
// the previous version stopped. Prints a table; writes bench/results/control-plane-crash.json.
//
//   npm run build && npx tsx bench/control-plane-crash.ts [--kills 20] [--rate 500] [--cli dist/cli/main.js]

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { ensureProxy } from '../src/proxy/ensure.js';
import { GANTRY_MAIN } from '../test/support/cli.js';
import { requireBuilt } from './lib/built.js';
import { startPhasedLoad } from './lib/phased-load.js';
import { freePort, stopProxy, writeSamplePlan } from './lib/sample-plans.js';
import { table } from './lib/table.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    rate: { type: 'string', default: '500' },
    cli: { type: 'string', default: GANTRY_MAIN },
  },
});
const KILLS = Number(values.kills);
const RATE = Number(values.rate);
const GANTRY = values.cli;
requireBuilt('bench/control-plane-crash', GANTRY);
const RESULTS = fileURLToPath(new URL('./results/control-plane-crash.json', import.meta.url));
const TERMINAL = ['succeeded', 'rolled_back', 'failed', 'aborted'];
const run = promisify(execFile);

const home = mkdtempSync(join(tmpdir(), 'gantry-bench-crash-'));
const port = await freePort();
const service = 'crash';
const planPath = writeSamplePlan(home, 'canary', {
  service,
  port,
  instances: 2,
  strategy: `  canary:
    steps: [{ setWeight: 10 }, { wait: 1s }, { setWeight: 30 }, { wait: 1s }, { setWeight: 60 }, { wait: 1s }, { setWeight: 100 }]`,
});

/** What `gantry status -o json` (and the other verbs used here) print, as far as this script reads it. */
interface CliJson {
  id: string;
  status: string;
  engine: { pid: number } | null;
  steps: { id: string; status: string }[];
}

async function gantry(...args: string[]): Promise<CliJson> {
  const { stdout } = await run(process.execPath, [GANTRY, ...args, '-o', 'json'], {
    env: { ...process.env, GANTRY_HOME: home, GANTRY_USER: 'bench', GANTRY_DATABASE_URL: '' },
  });
  return JSON.parse(stdout);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

/** `gantry resume`; a deployment that ended meanwhile (its last step was done when the kill came) is fine. */
async function resume(id: string): Promise<void> {
  await gantry('resume', id).catch((error: { stdout?: string }) => {
    if (!error.stdout?.includes('has ended')) throw error;
  });
}

/** SIGKILLs the deployment's engine; false when the deployment had ended or had no live engine. */
async function killEngine(id: string): Promise<{ killed: boolean; during?: string }> {
  const status = await gantry('status', id);
  const pid = status.engine?.pid;
  if (!pid || TERMINAL.includes(status.status)) return { killed: false };
  const running = status.steps.find(
    (s: { status: string }) => s.status === 'running' || s.status === 'waiting',
  );
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return { killed: false };
  }
  await waitDead(pid);
  return { killed: true, during: running?.id ?? 'between steps' };
}

/** Until the process is gone or a zombie (killed, not reaped yet): only then does its lease count as dead. */
async function waitDead(pid: number): Promise<void> {
  for (;;) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    } catch {
      return;
    }
    await sleep(20);
  }
}

/** Until the deployment ends; an engine that is not running (its dead holder looked alive) is started again. */
async function waitTerminal(id: string): Promise<CliJson> {
  for (let polls = 1; ; polls++) {
    const status = await gantry('status', id);
    if (TERMINAL.includes(status.status)) return status;
    if (!status.engine && polls % 10 === 0) await resume(id);
    await sleep(200);
  }
}

const proxy = await ensureProxy(home);
interface Round {
  version: string;
  kills: string[];
  status: string;
  traffic: string;
  previousStopped: boolean;
  failed: number;
  right: boolean;
}
const rounds: Round[] = [];
let kills = 0;
let phases: Awaited<ReturnType<ReturnType<typeof startPhasedLoad>['stop']>> = [];
try {
  await gantry('deploy', planPath, '--version', 'v1', '--wait');
  const load = startPhasedLoad({ url: `http://127.0.0.1:${port}/`, ratePerSec: RATE, connections: 32 });
  for (let n = 2; kills < KILLS && n < KILLS * 3; n++) {
    const version = `v${n}`;
    load.phase(version);
    const { id } = await gantry('deploy', planPath, '--version', version);
    const landed: string[] = [];
    for (let attempt = 0; attempt < 2 && kills < KILLS; attempt++) {
      await sleep(between(300, 2500));
      const kill = await killEngine(id);
      if (!kill.killed) break;
      kills++;
      landed.push(kill.during ?? '');
      await sleep(between(0, 500)); // the data plane alone, with no control plane at all
      await resume(id);
    }
    const final = await waitTerminal(id);
    const state = await proxy.getService(`${service}.bench`);
    const weights = Object.entries(state.weights).filter(([, w]) => w > 0);
    const traffic = weights.map(([v, w]) => `${v} ${w}`).join(', ');
    const previousStopped = state.versions.every((v) => v.version === version);
    const right =
      final.status === 'succeeded' &&
      traffic === `${version} 100` &&
      previousStopped &&
      state.canaryVersion === null;
    rounds.push({ version, kills: landed, status: final.status, traffic, previousStopped, failed: 0, right });
  }
  load.phase('after');
  await sleep(500);
  phases = await load.stop();
} finally {
  await stopProxy(proxy).catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}

for (const round of rounds) round.failed = phases.find((p) => p.phase === round.version)?.failed ?? 0;
const requests = phases.reduce((sum, p) => sum + p.requests, 0);
const failed = phases.reduce((sum, p) => sum + p.failed, 0);
console.log(
  `control-plane-crash: SIGKILL of the engine during canaries, ${RATE} requests/s through gantry-proxy\n`,
);
console.log(
  table(
    ['deployment', 'kills (step running)', 'status', 'traffic after', 'prev stopped', 'failed req', 'right'],
    rounds.map((r) => [
      r.version,
      r.kills.join(', ') || '-',
      r.status,
      r.traffic,
      r.previousStopped ? 'yes' : 'NO',
      r.failed,
      r.right ? 'yes' : 'NO',
    ]),
  ),
);
const allRight = rounds.every((r) => r.right);
console.log(
  `\n${kills} kills; ${requests} user requests, ${failed} failed; final state right in ${rounds.filter((r) => r.right).length}/${rounds.length} deployments`,
);
console.log(
  `target: ${KILLS} kills, 0 failed requests, right final state every time — ${kills >= KILLS && failed === 0 && allRight ? 'met' : 'NOT met'}`,
);
mkdirSync(dirname(RESULTS), { recursive: true });
writeFileSync(
  RESULTS,
  `${JSON.stringify(
    {
      bench: 'control-plane-crash',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, loadavg: loadavg() },
      ratePerSec: RATE,
      kills,
      requests,
      failed,
      rounds,
      targetMet: kills >= KILLS && failed === 0 && allRight,
    },
    null,
    2,
  )}\n`,
);
process.exitCode = kills >= KILLS && failed === 0 && allRight ? 0 : 1;
