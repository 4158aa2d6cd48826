import { describe, expect, it } from 'vitest';
import { quantileLowerBound, quantileUpperBound, sampleQuantile } from './quantile-bounds.js';
import { seededRandom } from './testing/random.js';

describe('quantile bounds', () => {
  it('bracket the sample quantile and are open-ended with too few samples', () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(sampleQuantile(sorted, 0.95)).toBe(19);
    expect(quantileUpperBound(sorted, 0.95, 0.01)).toBe(Number.POSITIVE_INFINITY);
    expect(quantileLowerBound(sorted, 0.95, 0.01)).toBeLessThan(19);
  });

  it('contain the true p95 at every look in at least 1 − α of analyses', () => {
    const random = seededRandom(31);
    const alpha = 0.05;
    // Log-normal with median 100ms and σ 0.5: p95 = 100 × e^(0.5 × 1.6449).
    const trueP95 = 100 * Math.exp(0.5 * 1.6448536);
    let missed = 0;
    const trials = 200;
    for (let trial = 0; trial < trials; trial++) {
      let sorted: number[] = [];
      for (let look = 0; look < 30; look++) {
        sorted = [...sorted, ...Array.from({ length: 50 }, () => random.latency(100))].sort((a, b) => a - b);
        const low = quantileLowerBound(sorted, 0.95, alpha / 2);
        const high = quantileUpperBound(sorted, 0.95, alpha / 2);
        if (low > trueP95 || high < trueP95) {
          missed++;
          break;
        }
      }
    }
    expect(missed / trials).toBeLessThan(alpha);
  });
});
