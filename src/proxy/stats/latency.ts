// Latency histograms: one HDR configuration for every stream (microseconds, 1 µs to 1 h, 2 significant
// digits = 1% precision), and a compact sparse copy of a finished second so an hour of seconds stays small.

import { Int32Histogram, type JsHistogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../api.js';

const LOWEST_US = 1;
const HIGHEST_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 2;

export type LatencyHistogram = JsHistogram;

export function newLatencyHistogram(): LatencyHistogram {
  const histogram = new Int32Histogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS);
  // Fixed size: every histogram has the same counts layout, so sparse copies can be added back by index.
  histogram.autoResize = false;
  return histogram;
}

export function clampLatencyUs(latencyUs: number): number {
  if (latencyUs < LOWEST_US) return LOWEST_US;
  return latencyUs > HIGHEST_US ? HIGHEST_US : Math.round(latencyUs);
}

/** The non-zero buckets of a histogram: typically a few hundred, against 3,328 in the full layout. */
export interface LatencySnapshot {
  indexes: Uint16Array;
  counts: Uint32Array;
}

export function snapshotOf(histogram: LatencyHistogram): LatencySnapshot | undefined {
  if (histogram.totalCount === 0) return undefined;
  const length = histogram.countsArrayLength;
  let used = 0;
  for (let i = 0; i < length; i++) if (histogram.getCountAtIndex(i) !== 0) used++;
  const indexes = new Uint16Array(used);
  const counts = new Uint32Array(used);
  let at = 0;
  for (let i = 0; i < length; i++) {
    const count = histogram.getCountAtIndex(i);
    if (count === 0) continue;
    indexes[at] = i;
    counts[at++] = count;
  }
  return { indexes, counts };
}

export function addSnapshot(target: LatencyHistogram, snapshot: LatencySnapshot): void {
  const { indexes, counts } = snapshot;
  for (let i = 0; i < indexes.length; i++) {
    target.recordValueWithCount(target.valueFromIndex(indexes[i] as number), counts[i] as number);
  }
}

/** p50/p95/p99/max/mean in milliseconds, or null for an empty histogram. */
export function summarize(histogram: LatencyHistogram): LatencySummary | null {
  if (histogram.totalCount === 0) return null;
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    max: ms(histogram.maxValue),
    mean: ms(histogram.mean),
  };
}
