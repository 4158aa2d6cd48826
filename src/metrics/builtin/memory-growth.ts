// `memory_growth`: how fast a version's resident memory grows, per hour, as a share of its memory limit
// (runbook 004: "Memory growing > 2%/hour → WARN"). The least-squares slope of the window's per-second
// memory samples: one spike or one garbage collection moves it little, a steady leak moves it steadily.

import type { MetricPoint } from '../metric-source.js';

const HOUR_MS = 3_600_000;

/** A line needs two points; the judge's minimum of samples (20 by default) asks for more before a verdict. */
export const MIN_GROWTH_SAMPLES = 2;

export type Growth = { value: number; samples: number } | { missing: string };

/**
 * Growth per hour of `points` (memory as ratios of the limit, one per second or so), as a ratio of the
 * limit: 0.02 for "2% of the limit per hour". Negative when memory shrinks.
 */
export function growthPerHour(points: readonly MetricPoint[]): Growth {
  if (points.length < MIN_GROWTH_SAMPLES) {
    return {
      missing: `only ${points.length} memory sample${points.length === 1 ? '' : 's'} in the window, ${MIN_GROWTH_SAMPLES} needed for a trend`,
    };
  }
  const n = points.length;
  const meanT = points.reduce((sum, p) => sum + p.tMs, 0) / n;
  const meanV = points.reduce((sum, p) => sum + p.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.tMs - meanT) * (p.value - meanV);
    variance += (p.tMs - meanT) ** 2;
  }
  if (variance === 0) return { missing: 'every memory sample of the window has the same time' };
  return { value: (covariance / variance) * HOUR_MS, samples: n };
}
