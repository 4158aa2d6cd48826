// Engine throughput: N concurrent deployments of an S-step no-op plan (`wait: 0ms`), driven by one engine,
// on SQLite (synchronous=FULL) and on Postgres. Prints journal events/s, engine overhead per step and peak
// memory; writes bench/results/engine.json.
//
//   npx tsx bench/engine.ts [--deployments 1000] [--steps 20] [--postgres-url postgres://postgres@127.0.0.1:5432/postgres] [--gc]
//
// Peak memory is the process's RSS and V8's heap in use, sampled every 50 ms. V8 collects lazily on a machine
// with memory to spare, so the heap includes garbage; `--gc` collects at every sample (slower), and its peak
// heap is what the deployments keep alive.
//
// Engine overhead per step is the time from the end of one step's handler to the start of the next one's
// in the same deployment: journaling the success and the next start (group commits shared with the other
// deployments), folding state and scheduling. It is reported with all deployments running at once, and for
// a single deployment on an idle engine. Needs dist/ built.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Journal } from '../src/journal/journal.js';
import type { StepHandler } from '../src/steps/step.js';

// The engine as users run it: the compiled dist/ (`npm run build`), not the TypeScript sources, whose
// on-the-fly transpiling would add some 40 MB to the memory measured. Loaded by the children only, once
// the parent has checked that dist/ is there.
async function loadEngine() {
  const [{ createDeployment }, { Engine }, { openJournal }, { STEP_HANDLERS }] = await Promise.all([
    import('../dist/engine/create.js'),
    import('../dist/engine/engine.js'),
    import('../dist/journal/open.js'),
    import('../dist/steps/registry.js'),
  ]);
  return { createDeployment, Engine, openJournal, STEP_HANDLERS };
}
type EngineModules = Awaited<ReturnType<typeof loadEngine>>;

const { values } = parseArgs({
  options: {
    deployments: { type: 'string', default: '1000' },
    steps: { type: 'string', default: '20' },
    child: { type: 'string' },
    // Collects garbage at every memory sample: the peak heap is then what the deployments keep alive.
    gc: { type: 'boolean', default: false },
    'postgres-url': {
      type: 'string',
      default: process.env.GANTRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const DEPLOYMENTS = Number(values.deployments);
const STEPS = Number(values.steps);

interface Timing {
  handlerStart: number[];
  handlerEnd: number[];
}

/** `wait` as the registry has it, timed: the gaps between one handler's end and the next one's start are the engine's. */
function timedHandlers(
  { STEP_HANDLERS }: EngineModules,
  timings: Map<string, Timing>,
): ReadonlyMap<string, StepHandler> {
  const wait = STEP_HANDLERS.get('wait') as StepHandler;
  const timed: StepHandler = {
    ...wait,
    async run(context, spec) {
      const timing = timings.get(context.deployment.id) ?? { handlerStart: [], handlerEnd: [] };
      timings.set(context.deployment.id, timing);
      timing.handlerStart.push(performance.now());
      const result = await wait.run(context, spec);
      timing.handlerEnd.push(performance.now());
      return result;
    },
  };
  return new Map([...STEP_HANDLERS, ['wait', timed]]);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function overheads(timings: Map<string, Timing>): number[] {
  const gaps: number[] = [];
  for (const timing of timings.values()) {
    for (let i = 1; i < timing.handlerStart.length; i++)
      gaps.push((timing.handlerStart[i] as number) - (timing.handlerEnd[i - 1] as number));
  }
  return gaps.sort((a, b) => a - b);
}

async function runBatch(modules: EngineModules, journal: Journal, dir: string, count: number, tag: string) {
  const { createDeployment, Engine } = modules;
  const plan = ['steps:', ...Array.from({ length: STEPS }, () => '  - wait: 0ms')].join('\n');
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const planPath = join(dir, `${tag}-${n}.yaml`);
    writeFileSync(planPath, `service: bench-${tag}-${n}\n${plan}\n`);
    ids.push(
      (await createDeployment(journal, { planPath, version: '1.0.0', requestedBy: 'bench', env: {} }))
        .deployment.id,
    );
  }
  const timings = new Map<string, Timing>();
  const engine = new Engine({
    journal,
    handlers: timedHandlers(modules, timings),
    leaseTtlMs: 60_000,
    pollMs: 250,
    env: {},
  });
  const headBefore = (await journal.chainHead()).seq;
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    if (values.gc) (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
  }, 50);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const statuses = await Promise.all(ids.map((id) => engine.drive(id)));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  await engine.close();
  const events = (await journal.chainHead()).seq - headBefore;
  const gaps = overheads(timings);
  return {
    deployments: count,
    succeeded: statuses.filter((s) => s === 'succeeded').length,
    events,
    wallMs: Math.round(wallMs),
    eventsPerSecond: Math.round(events / (wallMs / 1000)),
    overheadMedianMs: percentile(gaps, 50),
    overheadP99Ms: percentile(gaps, 99),
    cpuMsPerStep: (cpu.user + cpu.system) / 1000 / (count * STEPS),
    peakRssMb: Math.round(peakRss / 1024 / 1024),
    peakHeapUsedMb: Math.round(peakHeap / 1024 / 1024),
  };
}

async function benchBackend(name: 'sqlite' | 'postgres', databaseUrl?: string) {
  const modules = await loadEngine();
  const { openJournal } = modules;
  const dir = mkdtempSync(join(tmpdir(), `gantry-bench-engine-${name}-`));
  const journal = await openJournal({ home: join(dir, '.gantry'), databaseUrl });
  try {
    const single = await runBatch(modules, journal, dir, 1, 'single');
    const concurrent = await runBatch(modules, journal, dir, DEPLOYMENTS, 'many');
    return { backend: name, single, concurrent };
  } finally {
    await journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function scratchPostgres(
  baseUrl: string,
): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: baseUrl });
  try {
    await admin.connect();
  } catch (error) {
    console.error(
      `postgres not reachable at ${new URL(baseUrl).host} (${(error as Error).message}); skipping it`,
    );
    return undefined;
  }
  const name = `gantry_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * This file as plain JavaScript beside it, for the children: under tsx, a child would carry its loader
 * (some 30 MB of RSS) that `gantry`, which runs dist/ on plain Node, never has.
 */
async function compiledSelf(): Promise<string> {
  const { default: ts } = await import('typescript');
  const source = fileURLToPath(import.meta.url);
  const compiled = join(dirname(source), '.engine-child.mjs');
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  writeFileSync(compiled, outputText);
  return compiled;
}

/** Each backend runs in a child process of its own, so peak memory is that backend's alone. */
function inChild(compiled: string, backend: 'sqlite' | 'postgres', databaseUrl?: string) {
  const args = [
    ...(values.gc ? ['--expose-gc'] : []),
    compiled,
    '--child',
    backend,
    '--deployments',
    String(DEPLOYMENTS),
    '--steps',
    String(STEPS),
    ...(values.gc ? ['--gc'] : []),
  ];
  if (databaseUrl) args.push('--postgres-url', databaseUrl);
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`the ${backend} run failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string);
}

if (values.child) {
  const result = await benchBackend(
    values.child as 'sqlite' | 'postgres',
    values.child === 'postgres' ? values['postgres-url'] : undefined,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

// Imported here, not at the top: the children run this file as plain JavaScript, without bench/lib.
const { requireBuilt } = await import('./lib/built.js');
requireBuilt('bench/engine', fileURLToPath(new URL('../dist/engine/engine.js', import.meta.url)));
const compiled = await compiledSelf();
const results = [];
try {
  results.push(inChild(compiled, 'sqlite'));
  const scratch = await scratchPostgres(values['postgres-url'] as string);
  if (scratch) {
    try {
      results.push(inChild(compiled, 'postgres', scratch.url));
    } finally {
      await scratch.drop();
    }
  }
} finally {
  rmSync(compiled, { force: true });
}

const machine = { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
console.log(
  `engine benchmark: ${DEPLOYMENTS} concurrent deployments × ${STEPS} no-op steps (${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node})\n`,
);
console.log(
  `backend   | events/s | wall s | overhead/step median | p99       | cpu/step | peak RSS | peak heap${values.gc ? ' (live)' : '       '} | single-deployment overhead median / p99`,
);
console.log(
  '----------|----------|--------|----------------------|-----------|----------|----------|------------------|----------------------------------------',
);
for (const { backend, single, concurrent: c } of results) {
  console.log(
    `${backend.padEnd(9)} | ${String(c.eventsPerSecond).padStart(8)} | ${(c.wallMs / 1000).toFixed(1).padStart(6)} | ${c.overheadMedianMs.toFixed(2).padStart(17)} ms | ${c.overheadP99Ms.toFixed(1).padStart(6)} ms | ${c.cpuMsPerStep.toFixed(2).padStart(5)} ms | ${String(c.peakRssMb).padStart(5)} MB | ${String(c.peakHeapUsedMb).padStart(13)} MB | ${single.overheadMedianMs.toFixed(2)} ms / ${single.overheadP99Ms.toFixed(2)} ms`,
  );
  if (c.succeeded !== c.deployments)
    console.log(`  ! only ${c.succeeded} of ${c.deployments} deployments succeeded`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/engine.json',
  `${JSON.stringify({ machine, deployments: DEPLOYMENTS, steps: STEPS, results }, null, 2)}\n`,
);
console.log('\nwritten: bench/results/engine.json');
