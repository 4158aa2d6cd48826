import { describe, expect, it } from 'vitest';
import { LeaseKeeper } from './lease-keeper.js';

const TTL = 6_000;

function keeper(renew: () => Promise<boolean>) {
  let now = 0;
  const lost: Array<{ id: string; code: string; message: string }> = [];
  const calls: number[] = [];
  const subject = new LeaseKeeper({
    journal: {
      renewLease: () => {
        calls.push(now);
        return renew();
      },
    },
    holderId: 'h1',
    ttlMs: TTL,
    onLost: (id, error) => lost.push({ id, code: error.code, message: error.message }),
    now: () => now,
  });
  /** Advances the clock tick by tick, letting renewals settle in between. */
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += subject.tickMs) {
      now += subject.tickMs;
      subject.tick();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { subject, lost, calls, advance };
}

describe('lease keeper', () => {
  it('renews every third of the TTL and keeps the run going while renewals succeed', async () => {
    const { subject, lost, calls, advance } = keeper(async () => true);
    subject.hold('d-1', 0);
    await advance(TTL * 5);
    expect(lost).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(14);
  });

  it('stops the run at once when another engine has taken the lease', async () => {
    const { subject, lost, advance } = keeper(async () => false);
    subject.hold('d-1', 0);
    await advance(TTL / 3);
    expect(lost).toEqual([expect.objectContaining({ id: 'd-1', code: 'GANTRY_LEASE_LOST' })]);
    expect(lost[0]?.message).toContain('another engine took over deployment d-1');
  });

  it('stops the run itself before its lease can expire when the journal does not answer', async () => {
    const { subject, lost, calls, advance } = keeper(() => Promise.reject(new Error('connection refused')));
    subject.hold('d-1', 0);
    await advance(TTL - 2 * subject.tickMs);
    expect(lost).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    await advance(subject.tickMs);
    expect(lost.map((l) => l.id)).toEqual(['d-1']);
    expect(lost[0]?.message).toContain('could not renew the lease of d-1 within its 6s');
  });

  it('also stops a run whose renewal hangs, and forgets released leases', async () => {
    const { subject, lost, advance } = keeper(() => new Promise<boolean>(() => {}));
    subject.hold('d-1', 0);
    subject.hold('d-2', 0);
    subject.release('d-2');
    await advance(TTL);
    expect(lost.map((l) => l.id)).toEqual(['d-1']);
  });
});
