// Always-valid confidence bounds for a quantile (the p95 latency) from order statistics: the number of
// requests at or below the true p95 is Binomial(n, 0.95) whatever the distribution, so the proportion test
// of mixture-test.ts bounds that count at every n at once, and the count picks the order statistic
// (Howard & Ramdas 2022, "Sequential estimation of quantiles").

import { logMixtureRatio } from './mixture-test.js';

/** The smallest sample value that is above the q-quantile with confidence 1 − α; Infinity when too few. */
export function quantileUpperBound(sorted: ArrayLike<number>, q: number, alpha: number): number {
  const n = sorted.length;
  const limit = Math.log(1 / alpha);
  // The largest count at or below the quantile that the test still keeps; the next value is above it.
  const kept = lastKept(n, (s) => logMixtureRatio(n, s, q, 'above') < limit);
  return kept + 1 <= n ? (sorted[kept] as number) : Number.POSITIVE_INFINITY;
}

/** The largest sample value at or below the q-quantile with confidence 1 − α; 0 when too few. */
export function quantileLowerBound(sorted: ArrayLike<number>, q: number, alpha: number): number {
  const n = sorted.length;
  const limit = Math.log(1 / alpha);
  const kept = firstKept(n, (s) => logMixtureRatio(n, s, q, 'below') < limit);
  return kept >= 1 ? (sorted[kept - 1] as number) : 0;
}

/** The sample quantile (nearest rank), for explanations. */
export function sampleQuantile(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Largest s in [0, n] with keeps(s), for keeps true up to some point then false. */
function lastKept(n: number, keeps: (s: number) => boolean): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (keeps(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Smallest s in [0, n] with keeps(s), for keeps false up to some point then true. */
function firstKept(n: number, keeps: (s: number) => boolean): number {
  let low = 0;
  let high = n;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (keeps(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}
