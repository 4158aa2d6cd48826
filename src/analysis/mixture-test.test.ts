import { describe, expect, it } from 'vitest';
import { logMixtureRatio, lowerBound, upperBound } from './mixture-test.js';
import { seededRandom } from './testing/random.js';

describe('the mixture proportion test', () => {
  it('keeps the estimate itself and rejects proportions far from it', () => {
    expect(logMixtureRatio(1000, 50, 0.05, 'above')).toBeLessThan(0);
    expect(logMixtureRatio(1000, 50, 0.01, 'above')).toBeGreaterThan(Math.log(1000));
    expect(logMixtureRatio(1000, 5, 0.05, 'below')).toBeGreaterThan(Math.log(1000));
  });

  it('treats a threshold of 0% as crossed by the first error, and 100% as never crossed', () => {
    expect(logMixtureRatio(10, 1, 0, 'above')).toBe(Number.POSITIVE_INFINITY);
    expect(logMixtureRatio(10, 0, 0, 'above')).toBe(0);
    expect(logMixtureRatio(10, 10, 1, 'above')).toBe(Number.NEGATIVE_INFINITY);
  });

  it('brackets the observed proportion with bounds that narrow as data grows', () => {
    const small = [lowerBound(200, 10, 0.01), upperBound(200, 10, 0.01)];
    const large = [lowerBound(20_000, 1000, 0.01), upperBound(20_000, 1000, 0.01)];
    expect(small[0]).toBeLessThan(0.05);
    expect(small[1]).toBeGreaterThan(0.05);
    expect(large[0]).toBeGreaterThan(small[0] as number);
    expect(large[1]).toBeLessThan(small[1] as number);
    expect(large[0]).toBeGreaterThan(0.04);
    expect(large[1]).toBeLessThan(0.06);
  });

  it('has bounds of 0 and 1 when there is nothing to bound with', () => {
    expect(lowerBound(0, 0, 0.01)).toBe(0);
    expect(lowerBound(500, 0, 0.01)).toBe(0);
    expect(upperBound(500, 500, 0.01)).toBe(1);
  });

  it('rejects a true null in at most α of simulated analyses, looked at after every 20 requests', () => {
    // The worst case of "error rate ≤ 1%": exactly 1%. 2,000 analyses of up to 10,000 requests, 500 looks each.
    const random = seededRandom(7);
    const alpha = 0.05;
    let rejected = 0;
    for (let trial = 0; trial < 2000; trial++) {
      let n = 0;
      let errors = 0;
      for (let look = 0; look < 500; look++) {
        n += 20;
        errors += random.binomial(20, 0.01);
        if (logMixtureRatio(n, errors, 0.01, 'above') >= Math.log(1 / alpha)) {
          rejected++;
          break;
        }
      }
    }
    expect(rejected / 2000).toBeLessThan(alpha);
  });

  it('detects an error rate three times the threshold within a few hundred requests', () => {
    const random = seededRandom(11);
    const needed: number[] = [];
    for (let trial = 0; trial < 200; trial++) {
      let n = 0;
      let errors = 0;
      while (logMixtureRatio(n, errors, 0.05, 'above') < Math.log(1000)) {
        n += 10;
        errors += random.binomial(10, 0.15);
      }
      needed.push(n);
    }
    needed.sort((a, b) => a - b);
    expect(needed[100]).toBeLessThan(400);
  });

  it('keeps the true proportion inside its bounds at every look in at least 1 − α of analyses', () => {
    const random = seededRandom(3);
    const alpha = 0.05;
    let missed = 0;
    for (let trial = 0; trial < 300; trial++) {
      let n = 0;
      let errors = 0;
      for (let look = 0; look < 100; look++) {
        n += 50;
        errors += random.binomial(50, 0.02);
        if (lowerBound(n, errors, alpha / 2) > 0.02 || upperBound(n, errors, alpha / 2) < 0.02) {
          missed++;
          break;
        }
      }
    }
    expect(missed / 300).toBeLessThan(alpha);
  });
});
