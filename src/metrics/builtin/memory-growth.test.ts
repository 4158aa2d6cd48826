import { describe, expect, it } from 'vitest';
import { growthPerHour, MIN_GROWTH_SAMPLES } from './memory-growth.js';

const second = 1_000;

function samples(count: number, valueAt: (i: number) => number) {
  return Array.from({ length: count }, (_, i) => ({
    tMs: 1_700_000_000_000 + i * second,
    value: valueAt(i),
  }));
}

describe('memory growth per hour', () => {
  it('reads a steady leak of 0.01% of the limit a second as 36% an hour', () => {
    const growth = growthPerHour(samples(60, (i) => 0.3 + i * 0.0001));
    expect('value' in growth && growth.value).toBeCloseTo(0.36, 6);
    expect('samples' in growth && growth.samples).toBe(60);
  });

  it('finds no growth in flat memory with a garbage-collection sawtooth', () => {
    const growth = growthPerHour(samples(600, (i) => 0.4 + (i % 10) * 0.001));
    expect('value' in growth && Math.abs(growth.value)).toBeLessThan(0.005);
  });

  it('is negative when memory shrinks', () => {
    const growth = growthPerHour(samples(30, (i) => 0.5 - i * 0.00001));
    expect('value' in growth && growth.value).toBeCloseTo(-0.036, 6);
  });

  it('gives no value from too few samples, and says how many it needs', () => {
    const growth = growthPerHour(samples(MIN_GROWTH_SAMPLES - 1, () => 0.5));
    expect(growth).toEqual({ missing: 'only 1 memory sample in the window, 2 needed for a trend' });
  });
});
