// The runbook examples (examples/runbooks/NNN-*) as the end-to-end tests run them: copied with their
// stand-ins and the sample app into a test's directory (so backups, .env copies and logs never land in
// the repository), and rewritten for a test run. The example files themselves are never changed.
//
// The rewrite, and nothing else:
// - durations divided by a factor, so day-long phases and hour-long watches run in seconds: step and
//   stage durations (`duration`, `wait`, `every`, `for`, `keepPrevious`), analysis and rollback intervals,
//   and the windows of rules ("for 5m"); never thresholds ("latency > 3s"), timeouts, health checks or
//   the escalation and reminder times. Each compressed value keeps a floor so windows still hold requests;
// - rules on gauges sampled once a second (memory, cpu, memory_growth) get `minSamples: 2`, the sample
//   count compressed with their window (a 2-minute window holds 120 samples, its compressed 2 s only 2);
// - the example's loopback port replaced by a free one;
// - a defective version's FAULT (see examples/sample-app) added under target.local.versions;
// - every PagerDuty channel pointed at a receiver on loopback: tests never send anything off this machine.

import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument, visit } from 'yaml';
import { parseDuration } from '../../src/units/duration.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

/** Keys whose duration is how long something lasts (compressed with a floor of 1 s). */
const SPAN_KEYS = new Set(['duration', 'wait', 'for', 'keepPrevious']);
/** Keys whose duration is how often something is looked at (floor 200 ms). */
const PERIOD_KEYS = new Set(['every']);
const RULE_WINDOW = /\bfor (\d+(?:\.\d+)?(?:ms|s|m|h|d))+\b/g;

export interface Compression {
  factor: number;
  /** Floor of compressed spans and rule windows; default 1 s. */
  spanFloorMs?: number;
  /** Floor of compressed periods (`every`, intervals); default 200 ms. */
  periodFloorMs?: number;
  /** Floor of compressed monitor stages (`for` of `monitor`); default spanFloorMs. */
  stageFloorMs?: number;
}

export interface RunbookRewrite extends Compression {
  /** The port the example listens on, and the free one the test uses instead. */
  port?: { from: number; to: number };
  /** FAULT per version name, e.g. { '2.0.0': 'errors:20' }. */
  faults?: Record<string, string>;
  /** A receiver on loopback that PagerDuty channels post to instead of the Events API. */
  outbound?: string;
}

/** Divides the plan's durations by `factor` (see the file's header for which ones). */
export function compressDurations(source: string, compression: Compression): string {
  const spanFloor = compression.spanFloorMs ?? 1_000;
  const periodFloor = compression.periodFloorMs ?? 200;
  const stageFloor = compression.stageFloorMs ?? spanFloor;
  const shrink = (text: string, floor: number) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms === 0) return text;
    return `${Math.max(floor, Math.round(ms / compression.factor))}ms`;
  };
  const doc = parseDocument(source);
  visit(doc, {
    Seq(_key, seq, path) {
      const owner = parentKeyOf(path);
      if (owner !== 'rules' && owner !== 'automatic') return;
      seq.items = seq.items.map((item) =>
        isScalar(item) || isMap(item) ? withGaugeSamples(doc, item) : item,
      );
    },
    Pair(_key, pair, path) {
      if (!isScalar(pair.key) || !isScalar(pair.value) || typeof pair.value.value !== 'string') return;
      const key = String(pair.key.value);
      const parentKey = parentKeyOf(path);
      if (key === 'for') pair.value.value = shrink(pair.value.value, stageFloor);
      else if (SPAN_KEYS.has(key)) pair.value.value = shrink(pair.value.value, spanFloor);
      else if (PERIOD_KEYS.has(key)) pair.value.value = shrink(pair.value.value, periodFloor);
      else if (key === 'interval' && (parentKey === 'analysis' || parentKey === 'rollback'))
        pair.value.value = shrink(pair.value.value, periodFloor);
    },
    Scalar(_key, scalar) {
      if (typeof scalar.value !== 'string' || !/[<>=]/.test(scalar.value)) return;
      scalar.value = scalar.value.replace(RULE_WINDOW, (whole) => `for ${shrink(whole.slice(4), spanFloor)}`);
    },
  });
  return doc.toString({ lineWidth: 0 });
}

const GAUGE_RULE = /^\s*(memory|cpu|memory_growth)\b[^:]*\bfor \d[\w.]*\s*$/;

/** A rule on a gauge, as `{ rule, tier, minSamples: 2 }`; other rules as they were. */
function withGaugeSamples(doc: ReturnType<typeof parseDocument>, item: unknown): unknown {
  let text: string | undefined;
  let tier: string | undefined;
  if (isScalar(item) && typeof item.value === 'string') text = item.value;
  else if (isMap(item) && item.items.length === 1 && isScalar(item.items[0]?.key) && !item.has('rule')) {
    text = String(item.items[0]?.key.value);
    tier = String((item.items[0]?.value as { value?: unknown })?.value);
  }
  if (text === undefined || !GAUGE_RULE.test(text)) return item;
  return doc.createNode({ rule: text, ...(tier ? { tier } : {}), minSamples: 2 }, { flow: true });
}

/** The key of the map holding the current pair, e.g. `analysis` for analysis.interval. */
function parentKeyOf(path: readonly unknown[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i] as { key?: unknown };
    if (node && typeof node === 'object' && 'key' in node && isScalar(node.key))
      return String(node.key.value);
  }
  return undefined;
}

export function rewritePlan(source: string, rewrite: RunbookRewrite): string {
  let text = compressDurations(source, rewrite);
  if (rewrite.port) text = text.replaceAll(`127.0.0.1:${rewrite.port.from}`, `127.0.0.1:${rewrite.port.to}`);
  const doc = parseDocument(text);
  pointPagerDutyAt(doc, rewrite.outbound);
  if (!rewrite.faults) return doc.toString({ lineWidth: 0 });
  for (const [version, fault] of Object.entries(rewrite.faults))
    doc.setIn(['target', 'local', 'versions', version, 'env', 'FAULT'], fault);
  if (!isMap(doc.getIn(['target', 'local'], true)))
    throw new Error('the plan has no target.local to add faults to');
  return doc.toString({ lineWidth: 0 });
}

/** Sends every PagerDuty channel to `outbound`; a plan that has one and no receiver is refused. */
function pointPagerDutyAt(doc: ReturnType<typeof parseDocument>, outbound: string | undefined): void {
  const channels = doc.getIn(['notify', 'channels'], true);
  if (!isMap(channels)) return;
  for (const pair of channels.items) {
    const name = String((pair.key as { value?: unknown }).value);
    if (!isMap(pair.value) || !pair.value.has('pagerduty')) continue;
    if (!outbound) throw new Error(`channel ${name} pages PagerDuty: give the rewrite an outbound receiver`);
    doc.setIn(['notify', 'channels', name, 'pagerduty', 'url'], `${outbound}/pagerduty/${name}`);
  }
}

export interface RunbookCopy {
  /** The copied runbook folder. */
  dir: string;
  /** Its stand-in tools, to put first on PATH (absent folders are harmless). */
  bin: string;
  /** Writes a rewritten copy of one of the runbook's plans beside the original; returns its path. */
  plan(file: string, rewrite: RunbookRewrite): string;
}

/** Copies examples/runbooks/<folder>, examples/runbooks/lib and examples/sample-app under `root`. */
export function copyRunbook(root: string, folder: string): RunbookCopy {
  const target = join(root, 'examples');
  const skip = (path: string) => !/\/(backups|node_modules|\.gantry)(\/|$)/.test(path);
  cpSync(join(EXAMPLES, 'runbooks', folder), join(target, 'runbooks', folder), {
    recursive: true,
    filter: skip,
  });
  cpSync(join(EXAMPLES, 'runbooks', 'lib'), join(target, 'runbooks', 'lib'), { recursive: true });
  cpSync(join(EXAMPLES, 'sample-app'), join(target, 'sample-app'), { recursive: true });
  const dir = join(target, 'runbooks', folder);
  return {
    dir,
    bin: join(dir, 'bin'),
    plan(file, rewrite) {
      const path = join(dir, file.replace(/\.yaml$/, '.test-run.yaml'));
      writeFileSync(path, rewritePlan(readFileSync(join(dir, file), 'utf8'), rewrite));
      return path;
    },
  };
}

/** Whether Redis answers PING on 127.0.0.1:6379 (runbook 001's cache health); skips like requirePostgres. */
export async function requireRedis(url = process.env.GANTRY_TEST_REDIS_URL || 'redis://127.0.0.1:6379') {
  const { hostname, port } = new URL(url);
  const { Socket } = await import('node:net');
  const answered = await new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.setTimeout(2_000, () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
    socket.connect(Number(port), hostname, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
  });
  if (answered) return { available: true, url };
  const reason = `Redis does not answer at ${url}; set GANTRY_TEST_REDIS_URL to run its tests`;
  if (process.env.GANTRY_REQUIRE_SERVICES === '1') throw new Error(`GANTRY_REQUIRE_SERVICES=1 but ${reason}`);
  console.warn(`skipping Redis tests: ${reason}`);
  return { available: false, reason, url };
}
