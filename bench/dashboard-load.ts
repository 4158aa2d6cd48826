// How fast the dashboard's deployment page becomes usable for a long deployment: a 6-hour history of
// about 20,000 events (traffic steps, 6 metrics measured every 7.5 s, a decision per round) served by
// `gantry server`, loaded in headless Chromium from a cold browser context each run.
//
// Time to interactive, measured in the page from navigation start: the step timeline, the traffic chart
// and all 6 metric charts are drawn, the event log lists every event, and typing in the log's search box
// has filtered it (an input responding). Target: under 2 s. Writes bench/results/dashboard-load.json.
//
//   npx tsx bench/dashboard-load.ts [--runs 5] [--hours 6] [--interval-ms 7500]

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EVENT } from '../src/deployment/events.js';
import { createDeployment } from '../src/engine/create.js';
import type { Journal, NewEvent } from '../src/journal/journal.js';
import { startServer } from '../src/server/server.js';
import { issueToken } from '../src/server/tokens.js';
import { DASHBOARD_DIR, launchChromium } from '../test/support/browser.js';
import { workspace } from '../test/support/workspace.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    hours: { type: 'string', default: '6' },
    'interval-ms': { type: 'string', default: '7500' },
  },
});

const METRICS = {
  error_rate: (i: number) => 0.002 + 0.001 * Math.sin(i / 40),
  p95_latency: (i: number) => 140 + 20 * Math.sin(i / 25),
  p99_latency: (i: number) => 260 + 40 * Math.sin(i / 30),
  memory: (i: number) => 300 * 1_048_576 + i * 2_000,
  cpu: (i: number) => 0.35 + 0.1 * Math.sin(i / 15),
  request_rate: (i: number) => 120 + 30 * Math.sin(i / 60),
};

const PLAN = `
service: checkout
environment: production
analysis:
  prometheus:
    url: http://127.0.0.1:9
    metrics:
${Object.keys(METRICS)
  .map((m) => `      ${m}: 'gantry_${m}{version="{{version}}"}'`)
  .join('\n')}
  rules:
    - error_rate > 0.5% for 1m: warn
    - error_rate > 1% for 1m: rollback
    - p95_latency > 300ms for 5m: warn
    - p95_latency > 500ms for 5m: rollback
    - p99_latency > 1s for 5m: rollback
    - memory > 900MiB for 3m: rollback
    - cpu > 90% for 5m: pause
    - request_rate < 10 for 5m: warn
steps:
  - { name: canary at 5%, wait: 1h }
  - { name: canary at 25%, wait: 2h }
  - { name: canary at 50%, wait: 2h }
  - { name: full traffic, wait: 1h }
`;

async function seed(journal: Journal, planPath: string, hours: number, intervalMs: number) {
  const { deployment } = await createDeployment(journal, {
    planPath,
    version: '2.0.0',
    requestedBy: 'alice',
    env: {},
  });
  const start = Date.now() - hours * 3_600_000;
  const at = (ms: number) => new Date(start + ms).toISOString();
  const events: NewEvent[] = [
    {
      type: EVENT.statusChanged,
      data: { from: 'pending', to: 'running', reason: 'running steps[0]' },
      at: at(0),
    },
  ];
  const stageMs = [0, 1, 3, 5].map((h) => h * 3_600_000 * (hours / 6));
  const weights = [5, 25, 50, 100];
  let stage = -1;
  const rounds = Math.floor((hours * 3_600_000) / intervalMs);
  for (let i = 0; i < rounds; i++) {
    const ms = i * intervalMs;
    while (stage + 1 < stageMs.length && ms >= (stageMs[stage + 1] as number)) {
      stage += 1;
      const ref = { stepId: `steps[${stage}]`, track: 'main', index: stage };
      if (stage > 0)
        events.push({
          type: EVENT.stepSucceeded,
          data: { ...ref, stepId: `steps[${stage - 1}]`, index: stage - 1, durationMs: 1 },
          at: at(ms),
        });
      events.push({
        type: EVENT.stepStarted,
        data: { ...ref, kind: 'wait', name: `stage ${stage}`, attempt: 1 },
        at: at(ms),
      });
      events.push({ type: EVENT.weightSet, data: { ...ref, weightPct: weights[stage] }, at: at(ms) });
    }
    for (const [metric, value] of Object.entries(METRICS))
      events.push({ type: EVENT.measurement, data: { metric, value: value(i), role: 'canary' }, at: at(ms) });
    const warn = i % 400 === 399;
    events.push({
      type: EVENT.decision,
      data: {
        tier: warn ? 'warn' : 'pass',
        metric: 'error_rate',
        explanation: warn ? 'error_rate of 2.0.0 is 0.6%, above the 0.5% warning line' : 'every rule passes',
      },
      at: at(ms),
    });
  }
  const end = hours * 3_600_000;
  events.push({
    type: EVENT.stepSucceeded,
    data: { stepId: `steps[${stage}]`, track: 'main', index: stage, durationMs: 1 },
    at: at(end),
  });
  events.push({
    type: EVENT.statusChanged,
    data: { from: 'running', to: 'succeeded', reason: 'every step succeeded' },
    at: at(end),
  });
  for (let i = 0; i < events.length; i += 1_000)
    await journal.append([{ deploymentId: deployment.id, events: events.slice(i, i + 1_000) }]);
  return { id: deployment.id, events: events.length + 1 };
}

async function main() {
  const runs = Number(args.runs);
  const ws = workspace('gantry-bench-dashboard-');
  const journal = await ws.openJournal();
  const server = await startServer({
    journal,
    host: '127.0.0.1',
    port: 0,
    noEngine: true,
    dashboardDir: DASHBOARD_DIR,
  });
  const browser = await launchChromium();
  try {
    const seeded = await seed(
      journal,
      ws.writePlan('plan.yaml', PLAN),
      Number(args.hours),
      Number(args['interval-ms']),
    );
    await journal.putUser('vera', ['viewer']);
    const { token } = await issueToken(journal, { user: 'vera', expiresInMs: 3_600_000 });
    const url = new URL(server.url);
    const results: Array<{ chartsMs: number; interactiveMs: number }> = [];
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
      await context.addCookies([
        { name: 'gantry_session', value: token, domain: url.hostname, path: '/', httpOnly: true },
      ]);
      const page = await context.newPage();
      await page.goto(`${server.url}/#/deployments/${seeded.id}`, { waitUntil: 'commit' });
      const chartsMs = await page
        .waitForFunction(
          (total) =>
            document.querySelectorAll('[data-testid^="chart-"] canvas').length >= 6 &&
            document.querySelector('[data-testid="weight-chart"] canvas') &&
            document.querySelector('[data-testid="step-timeline"] li') &&
            document.querySelector('[data-testid="event-count"]')?.textContent === `${total} events`
              ? performance.now()
              : false,
          seeded.events,
          { polling: 'raf', timeout: 30_000 },
        )
        .then((handle) => handle.jsonValue() as Promise<number>);
      await page.getByTestId('event-search').fill('warning');
      const interactiveMs = await page
        .waitForFunction(
          () =>
            / of \d+ events$/.test(document.querySelector('[data-testid="event-count"]')?.textContent ?? '')
              ? performance.now()
              : false,
          undefined,
          { polling: 'raf', timeout: 30_000 },
        )
        .then((handle) => handle.jsonValue() as Promise<number>);
      results.push({ chartsMs: Math.round(chartsMs), interactiveMs: Math.round(interactiveMs) });
      await context.close();
    }
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const summary = {
      median: {
        chartsMs: median(results.map((r) => r.chartsMs)),
        interactiveMs: median(results.map((r) => r.interactiveMs)),
      },
      worst: {
        chartsMs: Math.max(...results.map((r) => r.chartsMs)),
        interactiveMs: Math.max(...results.map((r) => r.interactiveMs)),
      },
    };
    const rows: (string | number)[][] = results.map((r, i) => [`run ${i + 1}`, r.chartsMs, r.interactiveMs]);
    rows.push(
      ['median', summary.median.chartsMs, summary.median.interactiveMs],
      ['worst', summary.worst.chartsMs, summary.worst.interactiveMs],
    );
    printTable(['', 'charts drawn (ms)', 'interactive (ms)'], rows);
    console.log(
      `\n${seeded.events} events over ${args.hours} h, 6 metrics; target interactive < 2000 ms: ${summary.median.interactiveMs < 2000 ? 'met' : 'MISSED'} (median ${summary.median.interactiveMs} ms)`,
    );
    const dir = fileURLToPath(new URL('./results/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      `${dir}dashboard-load.json`,
      `${JSON.stringify(
        {
          benchmark: 'dashboard-load',
          events: seeded.events,
          hours: Number(args.hours),
          metrics: 6,
          runs: results,
          medianInteractiveMs: summary.median.interactiveMs,
          worstInteractiveMs: summary.worst.interactiveMs,
          medianChartsMs: summary.median.chartsMs,
          targetMs: 2000,
          machine: {
            cpus: cpus().length,
            memoryGiB: Math.round(totalmem() / 2 ** 30),
            loadAverage1m: loadavg()[0],
          },
          at: new Date().toISOString(),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await browser.close();
    await server.close();
    await journal.close();
    ws.remove();
  }
}

function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(
    [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n'),
  );
}

await main();
