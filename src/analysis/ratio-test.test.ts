import { describe, expect, it } from 'vitest';
import { logRatioTest, type PairedCounts } from './ratio-test.js';
import { seededRandom } from './testing/random.js';

/** One second of traffic at `rps` with `canaryShare` on the canary. */
function second(
  random: ReturnType<typeof seededRandom>,
  rps: number,
  canaryShare: number,
  canaryRate: number,
  stableRate: number,
): PairedCounts {
  const canaryRequests = random.poisson(rps * canaryShare);
  const stableRequests = random.poisson(rps * (1 - canaryShare));
  return {
    canaryRequests,
    stableRequests,
    canaryErrors: random.binomial(canaryRequests, canaryRate),
    stableErrors: random.binomial(stableRequests, stableRate),
  };
}

describe('the error-ratio test', () => {
  it('rolls back a canary failing 5% against a stable at 0.1% within seconds at 1,000 requests/s', () => {
    const random = seededRandom(5);
    const buckets: PairedCounts[] = [];
    let seconds = 0;
    while (logRatioTest(buckets, 1, 'above') < Math.log(1000)) {
      buckets.push(second(random, 1000, 0.1, 0.05, 0.001));
      seconds++;
    }
    expect(seconds).toBeLessThanOrEqual(5);
  });

  it('is not moved by an incident that fails both versions alike', () => {
    const random = seededRandom(9);
    const buckets: PairedCounts[] = [];
    for (let s = 0; s < 60; s++) buckets.push(second(random, 1000, 0.1, 0.001, 0.001));
    for (let s = 0; s < 20; s++) buckets.push(second(random, 1000, 0.1, 0.3, 0.3));
    expect(logRatioTest(buckets, 1, 'above')).toBeLessThan(Math.log(20));
  });

  it('rolls back a healthy canary in at most α of simulated analyses with bursty shared errors', () => {
    const random = seededRandom(13);
    const alpha = 0.05;
    let rejected = 0;
    const trials = 400;
    for (let trial = 0; trial < trials; trial++) {
      const buckets: PairedCounts[] = [];
      for (let s = 0; s < 300; s++) {
        const base = s % 60 < 5 ? 0.05 : 0.002; // a burst every minute, on both versions
        const share = s < 150 ? 0.1 : 0.25;
        buckets.push(second(random, 200, share, base, base));
        if (logRatioTest(buckets, 1, 'above') >= Math.log(1 / alpha)) {
          rejected++;
          break;
        }
      }
    }
    expect(rejected / trials).toBeLessThan(alpha);
  });

  it('concludes the canary is within 2× of the stable when both fail alike, given enough errors', () => {
    const random = seededRandom(17);
    const buckets: PairedCounts[] = [];
    for (let s = 0; s < 120; s++) buckets.push(second(random, 1000, 0.25, 0.01, 0.01));
    expect(logRatioTest(buckets, 2, 'below')).toBeGreaterThan(Math.log(1000));
  });
});
