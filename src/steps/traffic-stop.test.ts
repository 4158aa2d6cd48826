import { describe, expect, it } from 'vitest';
import { initialState } from '../deployment/state.js';
import type { Target, TargetView } from '../targets/target.js';
import type { StepContext } from './step.js';
import { stopTrafficFor } from './traffic-stop.js';

function fakeContext(options: { maintenance: boolean; earlier?: { wasOn: boolean } }) {
  const calls: string[] = [];
  const recorded: Array<{ type: string; data: Record<string, unknown> }> = [];
  let maintenance = options.maintenance;
  const target = {
    describe: async () => ({ maintenance }) as TargetView,
    setMaintenance: async (enabled: boolean) => {
      calls.push(`maintenance ${enabled ? 'on' : 'off'}`);
      maintenance = enabled;
    },
  } as unknown as Target;
  const state = {
    ...initialState('d-1'),
    trafficStops: options.earlier ? { 'rollback[0]': options.earlier } : {},
  };
  const context = {
    step: { id: 'rollback[0]' },
    services: { target },
    state: () => state,
    log: () => {},
    record: async (type: string, data: Record<string, unknown>) => {
      recorded.push({ type, data });
    },
  } as unknown as StepContext;
  return { context, calls, recorded };
}

describe('stopping traffic for a restore', () => {
  it('turns maintenance mode on before and off after, journaling that it was off', async () => {
    const { context, calls, recorded } = fakeContext({ maintenance: false });
    const traffic = await stopTrafficFor(context, 'd-1.db');
    expect(calls).toEqual(['maintenance on']);
    await traffic.resume();
    expect(calls).toEqual(['maintenance on', 'maintenance off']);
    expect(recorded.map((r) => [r.type, r.data])).toEqual([
      ['traffic.stopped', { wasOn: false }],
      ['target.changing', { change: 'turn maintenance mode on while d-1.db is restored' }],
      ['maintenance.set', { enabled: true }],
      ['target.changing', { change: 'turn maintenance mode off after the restore' }],
      ['maintenance.set', { enabled: false }],
    ]);
  });

  it('leaves maintenance mode on when it was on before the restore', async () => {
    const { context, calls } = fakeContext({ maintenance: true });
    await (await stopTrafficFor(context, 'd-1.db')).resume();
    expect(calls).toEqual([]);
  });

  it('still turns it off after a crash, remembering from the journal that it was off at first', async () => {
    // The first attempt turned maintenance on and died; the proxy shows it on, the journal says it was off.
    const { context, calls, recorded } = fakeContext({ maintenance: true, earlier: { wasOn: false } });
    await (await stopTrafficFor(context, 'd-1.db')).resume();
    expect(calls).toEqual(['maintenance on', 'maintenance off']);
    expect(recorded.some((r) => r.type === 'traffic.stopped')).toBe(false);
  });
});
