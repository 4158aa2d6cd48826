// Journal append throughput: N concurrent deployments each appending E events one at a time, the way the
// engine writes, with and without BatchingJournal. Then times `verifyChain` over the result.
//
//   npx tsx bench/journal-append.ts [--deployments 1000] [--events 40]
//        [--unbatched-events 3] [--database-url postgres://…]
//
// Prints a table and writes bench/results/journal-append.json.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyChain } from '../src/journal/audit.js';
import type { Journal } from '../src/journal/journal.js';
import { openJournal } from '../src/journal/open.js';

const { values } = parseArgs({
  options: {
    deployments: { type: 'string', default: '1000' },
    events: { type: 'string', default: '40' },
    'unbatched-events': { type: 'string', default: '3' },
    'database-url': { type: 'string' },
  },
});
const deployments = Number(values.deployments);
const databaseUrl = values['database-url'];

interface Row {
  mode: string;
  deployments: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

async function run(
  mode: 'batched' | 'unbatched',
  eventsEach: number,
): Promise<{ row: Row; journal: Journal; home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'gantry-bench-'));
  const journal = await openJournal({ home, databaseUrl, batchAppends: mode === 'batched' });
  const ids: string[] = [];
  for (let i = 0; i < deployments; i++) {
    const id = `bench-${mode}-${i}-${Date.now()}`;
    const result = await journal.createDeployment({
      id,
      service: `svc-${i}-${Date.now()}`,
      environment: 'production',
      version: '1.0.0',
      previousVersion: null,
      requestedBy: 'bench',
      planHash: 'h',
      plan: { path: 'plan.yaml', source: '' },
      queue: false,
      createdEvent: {},
    });
    if (!result.created) throw new Error(`could not create ${id}`);
    ids.push(id);
  }
  const started = performance.now();
  await Promise.all(
    ids.map(async (deploymentId) => {
      for (let i = 0; i < eventsEach; i++) {
        const [result] = await journal.append([
          {
            deploymentId,
            events: [
              { type: 'step.progress', data: { step: i, weightPct: i % 100, note: 'canary healthy' } },
            ],
          },
        ]);
        if (!result?.ok) throw new Error(`append failed: ${JSON.stringify(result)}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const events = deployments * eventsEach;
  return {
    row: { mode, deployments, events, seconds, eventsPerSecond: Math.round(events / seconds) },
    journal,
    home,
  };
}

const rows: Row[] = [];
const batched = await run('batched', Number(values.events));
rows.push(batched.row);
const auditStarted = performance.now();
const report = await verifyChain(batched.journal);
const auditSeconds = (performance.now() - auditStarted) / 1000;
if (!report.ok) throw new Error(`the benchmark chain does not verify: ${report.problems[0]?.message}`);
await batched.journal.close();
rmSync(batched.home, { recursive: true, force: true });

const unbatched = await run('unbatched', Number(values['unbatched-events']));
rows.push(unbatched.row);
await unbatched.journal.close();
rmSync(unbatched.home, { recursive: true, force: true });

const backend = databaseUrl ? 'postgres' : 'sqlite (WAL, synchronous=FULL)';
console.log(`journal append, ${backend}, ${cpus().length} CPUs, node ${process.version}\n`);
console.log('mode        deployments   events   seconds   events/s');
for (const r of rows) {
  console.log(
    `${r.mode.padEnd(10)}  ${String(r.deployments).padStart(11)}  ${String(r.events).padStart(7)}  ${r.seconds.toFixed(2).padStart(8)}  ${String(r.eventsPerSecond).padStart(9)}`,
  );
}
const auditRate = Math.round(report.eventsChecked / auditSeconds);
console.log(
  `\nverifyChain: ${report.eventsChecked} events in ${auditSeconds.toFixed(2)}s (${auditRate} events/s)`,
);

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/journal-append.json',
  `${JSON.stringify({ backend, cpus: cpus().length, node: process.version, rows, audit: { events: report.eventsChecked, seconds: auditSeconds } }, null, 2)}\n`,
);
