// `gantry demo`: the whole story on one machine. A private state directory, gantry-proxy, the sample app:
// v1 goes live, v2 is canaried to 100% under generated traffic, v3 carries a defect that the automatic rules
// catch and roll back. Everything it started is stopped at the end, whatever happened.

import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeployment } from '../engine/create.js';
import { Engine } from '../engine/engine.js';
import type { Journal } from '../journal/journal.js';
import { openJournal } from '../journal/open.js';
import type { AdminClient } from '../proxy/admin-client.js';
import { ensureProxy } from '../proxy/ensure.js';
import { proxyServiceName } from '../targets/local/naming.js';
import { demoPlan } from './demo-plan.js';
import { Progress } from './progress.js';
import { stopProxy } from './stop-proxy.js';
import { type DeploymentOutcome, outcomeOf, summaryText } from './summary.js';
import { Traffic } from './traffic.js';
import { watchDeployment } from './watch.js';

export interface DemoOptions {
  /** State directory; a new temporary one by default. */
  home?: string;
  /** Where the sample app is reached; default 8080, or a free port when 8080 is taken. */
  port?: number;
  ratePerSec?: number;
  out?: NodeJS.WriteStream;
  signal?: AbortSignal;
}

interface Chapter {
  version: string;
  title: string;
  /** Given once the deployment runs: the first version has nothing to be compared with. */
  promoteFully?: string;
  expected: string;
}

const CHAPTERS: Chapter[] = [
  {
    version: 'v1',
    title: 'v1 goes live: the first version, with nothing to compare it with',
    promoteFully: 'first version: nothing to compare it with',
    expected: 'succeeded',
  },
  { version: 'v2', title: 'v2 is canaried to 100% while users keep coming', expected: 'succeeded' },
  { version: 'v3', title: 'v3 ships a defect: one answer in five is a 500', expected: 'rolled_back' },
];

export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const out = options.out ?? process.stdout;
  const started = Date.now();
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'gantry-demo-')));
  await mkdir(home, { recursive: true });
  const plan = await demoPlan(home, options.port);
  let traffic: Traffic | undefined;
  const progress = new Progress(out, () => traffic);
  progress.line(`Gantry demo: state in ${home}, the sample app on http://${plan.listen}`);
  progress.line(`  plan: ${plan.source}`);
  let proxy: AdminClient | undefined;
  let journal: Journal | undefined;
  let engine: Engine | undefined;
  const outcomes: DeploymentOutcome[] = [];
  const stopOnAbort = () => void engine?.close();
  options.signal?.addEventListener('abort', stopOnAbort, { once: true });
  try {
    proxy = await ensureProxy(home);
    progress.line(`  gantry-proxy started (pid ${(await proxy.health()).pid})`);
    journal = await openJournal({ home });
    engine = new Engine({ journal, home, env: { ...process.env, GANTRY_HOME: home } });
    progress.start();
    for (const chapter of CHAPTERS) {
      if (options.signal?.aborted) break;
      progress.line('');
      progress.line(`▶ ${chapter.title}`);
      const { deployment } = await createDeployment(journal, {
        planPath: plan.path,
        version: chapter.version,
        requestedBy: 'demo',
      });
      const watch = watchDeployment(journal, deployment.id, progress, chapter.promoteFully);
      const status = await engine.drive(deployment.id).finally(() => watch.stop());
      outcomes.push(await outcomeOf(journal, deployment.id));
      progress.line(`  ${chapter.version}: ${status.replace('_', ' ')}`);
      if (!traffic) {
        traffic = new Traffic(`http://${plan.listen}/`, options.ratePerSec ?? 150);
        traffic.start();
        progress.line(`  users start sending ${options.ratePerSec ?? 150} requests a second`);
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', stopOnAbort);
    progress.stop();
    const totals = await traffic?.stop();
    await engine?.close();
    const stopped = proxy
      ? await stopProxy(proxy, proxyServiceName('sample-app', 'demo'))
      : 'no process was started';
    await journal?.close();
    for (const line of summaryText(outcomes, totals ?? { requests: 0, failed: 0, byVersion: {} }))
      out.write(`${line}\n`);
    out.write(`\n  ${stopped}\n`);
    out.write(`  the journal stays in ${home}: GANTRY_HOME=${home} gantry history\n`);
    out.write(`  done in ${Math.round((Date.now() - started) / 1000)}s\n`);
  }
  const asExpected = CHAPTERS.every((chapter, i) => outcomes[i]?.status === chapter.expected);
  return asExpected ? 0 : 1;
}
