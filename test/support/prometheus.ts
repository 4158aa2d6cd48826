// Debian's Prometheus for the analysis tests: started with a generated config (1 s scrapes of the given
// targets), its own temporary storage and a free port; ready once it answers and has scraped every static
// target. Skips (or fails under GANTRY_REQUIRE_SERVICES=1) when /usr/bin/prometheus is missing.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './local-plans.js';
import type { ServiceCheck } from './services.js';

export const PROMETHEUS_BINARY = process.env.GANTRY_TEST_PROMETHEUS ?? '/usr/bin/prometheus';

export function requirePrometheus(): ServiceCheck {
  if (existsSync(PROMETHEUS_BINARY)) return { available: true };
  const reason = `${PROMETHEUS_BINARY} is missing (apt-get install prometheus, or set GANTRY_TEST_PROMETHEUS)`;
  if (process.env.GANTRY_REQUIRE_SERVICES === '1') throw new Error(`GANTRY_REQUIRE_SERVICES=1 but ${reason}`);
  console.warn(`skipping Prometheus tests: ${reason}`);
  return { available: false, reason };
}

export interface PrometheusProcess {
  url: string;
  /** Replaces the file-discovered targets (such as app instances on ports known only after a deploy). */
  setFileTargets(targets: string[]): void;
  /** Resolves once a query for `promql` returns at least one series. */
  waitForData(promql: string, timeoutMs?: number): Promise<void>;
  /** Stops the server (SIGTERM) and waits for it; the storage stays until `remove`. */
  stop(): Promise<void>;
  remove(): void;
}

export async function startPrometheus(staticTargets: string[]): Promise<PrometheusProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-prometheus-'));
  const port = await freePort();
  const sdFile = join(dir, 'targets.json');
  writeFileSync(sdFile, '[]');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      `  - job_name: gantry-proxy`,
      `    static_configs: [{ targets: ${JSON.stringify(staticTargets)} }]`,
      '  - job_name: app',
      `    file_sd_configs: [{ files: [${JSON.stringify(sdFile)}], refresh_interval: 1s }]`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const prometheus: PrometheusProcess = {
    url,
    setFileTargets: (targets) => writeFileSync(sdFile, JSON.stringify([{ targets }])),
    waitForData: (promql, timeoutMs = 30_000) =>
      until(
        () => hasSeries(url, promql),
        `data for ${promql}`,
        timeoutMs,
        () => output,
      ),
    stop: () => stopChild(child),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  await until(
    async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true,
    'Prometheus ready',
    30_000,
    () => output,
  );
  if (staticTargets.length > 0) await prometheus.waitForData('up{job="gantry-proxy"} == 1');
  return prometheus;
}

async function hasSeries(url: string, promql: string): Promise<boolean> {
  const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`).catch(
    () => undefined,
  );
  if (!response?.ok) return false;
  const body = (await response.json()) as { data?: { result?: unknown[] } };
  return (body.data?.result?.length ?? 0) > 0;
}

async function until(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n--- prometheus ---\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
