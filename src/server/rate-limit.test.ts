import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limit.js';

describe('FailureLimiter', () => {
  it('blocks a client after too many failures in the window, and lets it in again once they age out', () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 10_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
      limiter.fail('10.0.0.1');
      now += 1_000;
    }
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(7_000);
    expect(limiter.retryAfterMs('10.0.0.2')).toBe(0);
    now += 7_000;
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
  });
});
