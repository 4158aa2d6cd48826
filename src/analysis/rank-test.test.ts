import { describe, expect, it } from 'vitest';
import { compareRanks, mannWhitneyU } from './rank-test.js';
import { seededRandom } from './testing/random.js';

function sortedInsert(sorted: number[], values: number[]): number[] {
  return [...sorted, ...values].sort((a, b) => a - b);
}

describe('the Mann-Whitney comparison', () => {
  it('counts pairs where the canary is slower, ties as half', () => {
    expect(mannWhitneyU([1, 2, 3], [1, 2, 3])).toBe(4.5);
    expect(mannWhitneyU([10, 20], [1, 2, 3])).toBe(6);
    expect(mannWhitneyU([1, 2], [10, 20, 30])).toBe(0);
    // Against 2 × stable: 2 vs [2, 4] → ½; 5 vs [2, 4] → 2.
    expect(mannWhitneyU([2, 5], [1, 2], 2)).toBe(2.5);
  });

  it('finds a canary 30% slower conclusive within 1,000 requests a side', () => {
    const random = seededRandom(21);
    let canary: number[] = [];
    let stable: number[] = [];
    let result = compareRanks(canary, stable);
    while (result.logRatio < Math.log(1000) && canary.length < 5000) {
      canary = sortedInsert(
        canary,
        Array.from({ length: 50 }, () => random.latency(130)),
      );
      stable = sortedInsert(
        stable,
        Array.from({ length: 50 }, () => random.latency(100)),
      );
      result = compareRanks(canary, stable);
    }
    expect(result.theta).toBeGreaterThan(0);
    expect(canary.length).toBeLessThan(1000);
  });

  it('rejects identical distributions in at most α of analyses, looked at after every batch', () => {
    const random = seededRandom(23);
    const alpha = 0.05;
    let rejected = 0;
    const trials = 300;
    for (let trial = 0; trial < trials; trial++) {
      let canary: number[] = [];
      let stable: number[] = [];
      for (let look = 0; look < 40; look++) {
        canary = sortedInsert(
          canary,
          Array.from({ length: 10 }, () => random.latency(100)),
        );
        stable = sortedInsert(
          stable,
          Array.from({ length: 40 }, () => random.latency(100)),
        );
        if (compareRanks(canary, stable).logRatio >= Math.log(1 / alpha)) {
          rejected++;
          break;
        }
      }
    }
    expect(rejected / trials).toBeLessThan(alpha);
  });
});
