// Always-valid test of "the canary's error rate is more than R × the stable's" that ignores the base rate:
// given that an error happened in a second where a share w of the requests went to the canary, it came from
// the canary with probability π = w·r / (w·r + 1 − w), where r is the ratio of the two error rates. An
// incident that hits both versions alike (a database outage) moves both rates and leaves π alone, so it
// cannot roll a canary back. This is the multinomial count test of Lindon & Malek (2022) for two arms,
// mixed over a grid of ratios; counts are treated as Poisson, accurate for error rates well below 50%.

import { logMeanExp, ODDS_RATIOS } from './mixture-test.js';

/** Requests and errors of both versions in one bucket of time (a second, a Prometheus step). */
export interface PairedCounts {
  canaryRequests: number;
  canaryErrors: number;
  stableRequests: number;
  stableErrors: number;
}

/**
 * log of the mixture likelihood ratio against "ratio ≤ r0" (side `above`, alternatives r0 × 1.25 … 100)
 * or "ratio ≥ r0" (side `below`, alternatives r0 / 1.25 … 100).
 */
export function logRatioTest(buckets: readonly PairedCounts[], r0: number, side: 'above' | 'below'): number {
  if (r0 <= 0) return side === 'above' ? logAboveZero(buckets) : Number.NEGATIVE_INFINITY;
  const terms = ODDS_RATIOS.map((factor) => {
    const r1 = side === 'above' ? r0 * factor : r0 / factor;
    let sum = 0;
    for (const bucket of buckets) sum += bucketTerm(bucket, r0, r1);
    return sum;
  });
  return logMeanExp(terms);
}

function bucketTerm(bucket: PairedCounts, r0: number, r1: number): number {
  const errors = bucket.canaryErrors + bucket.stableErrors;
  const requests = bucket.canaryRequests + bucket.stableRequests;
  if (errors === 0 || bucket.canaryRequests === 0 || bucket.stableRequests === 0) return 0;
  const share = bucket.canaryRequests / requests;
  const pi0 = fromCanary(share, r0);
  const pi1 = fromCanary(share, r1);
  return bucket.canaryErrors * Math.log(pi1 / pi0) + bucket.stableErrors * Math.log((1 - pi1) / (1 - pi0));
}

function fromCanary(share: number, ratio: number): number {
  return (share * ratio) / (share * ratio + 1 - share);
}

/** "More than 0 × stable": any canary error in a bucket that both versions served is proof. */
function logAboveZero(buckets: readonly PairedCounts[]): number {
  const shared = buckets.some((b) => b.canaryErrors > 0 && b.stableRequests > 0);
  return shared ? Number.POSITIVE_INFINITY : 0;
}

/** Totals over buckets, for explanations. */
export function totalsOf(buckets: readonly PairedCounts[]): PairedCounts {
  const total = { canaryRequests: 0, canaryErrors: 0, stableRequests: 0, stableErrors: 0 };
  for (const b of buckets) {
    total.canaryRequests += b.canaryRequests;
    total.canaryErrors += b.canaryErrors;
    total.stableRequests += b.stableRequests;
    total.stableErrors += b.stableErrors;
  }
  return total;
}
