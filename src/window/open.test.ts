import { describe, expect, it } from 'vitest';
import type { Window } from '../plan/schema/window.js';
import { windowState } from './open.js';
import { parseWindowRange } from './range.js';

const nightly: Window = { timezone: 'America/New_York', allow: ['Mon-Fri 02:00-06:00'], freeze: [] };

describe('deployment windows', () => {
  it('is open inside an allowed range in the window timezone', () => {
    // 03:00 in New York on Wednesday 2025-09-03 is 07:00 UTC.
    expect(windowState(nightly, new Date('2025-09-03T07:00:00Z'))).toEqual({ open: true });
  });

  it('says when it opens next when outside the range', () => {
    const state = windowState(nightly, new Date('2025-09-03T12:00:00Z'));
    expect(state.open).toBe(false);
    if (!state.open) expect(state.opensAt?.toISOString()).toBe('2025-09-04T06:00:00.000Z');
  });

  it('skips the weekend for a weekday range', () => {
    const state = windowState(nightly, new Date('2025-09-05T12:00:00Z')); // Friday afternoon
    if (state.open) throw new Error('expected closed');
    expect(state.opensAt?.toISOString()).toBe('2025-09-08T06:00:00.000Z'); // Monday 02:00 EDT
  });

  it('handles ranges that wrap midnight', () => {
    const late: Window = { timezone: 'UTC', allow: ['daily 22:00-02:00'], freeze: [] };
    expect(windowState(late, new Date('2025-09-03T23:30:00Z')).open).toBe(true);
    expect(windowState(late, new Date('2025-09-04T01:30:00Z')).open).toBe(true);
    expect(windowState(late, new Date('2025-09-04T02:30:00Z')).open).toBe(false);
  });

  it('stays closed through a freeze and names it', () => {
    const frozen: Window = {
      timezone: 'UTC',
      allow: [],
      freeze: [{ from: '2025-12-20', to: '2026-01-02', reason: 'holidays' }],
    };
    const state = windowState(frozen, new Date('2025-12-25T10:00:00Z'));
    if (state.open) throw new Error('expected closed');
    expect(state.reason).toContain('holidays');
    expect(state.opensAt?.toISOString()).toBe('2026-01-03T00:00:00.000Z');
  });

  it('rejects malformed ranges with a message', () => {
    expect(parseWindowRange('Funday 02:00-06:00').ok).toBe(false);
    expect(parseWindowRange('Mon 25:00-06:00').ok).toBe(false);
    expect(parseWindowRange('Mon-Fri 02:00-06:00').ok).toBe(true);
  });
});
