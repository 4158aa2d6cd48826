import { describe, expect, it } from 'vitest';
import { Instance } from '../model/instance.js';
import { Service } from '../model/service.js';
import { Version } from '../model/version.js';
import { DEFAULT_LIMITS, ServiceStats } from '../stats/stats-store.js';
import { type Choice, Chosen, chooseVersion, drawVersion } from './choose.js';

function service(weights: Record<string, number>, healthy: Record<string, number> = {}): Service {
  const s = new Service(
    'shop',
    { listen: '127.0.0.1:0', sticky: true, stickyCookie: 'gantry_version', canaryHeader: 'X-Gantry-Canary' },
    new ServiceStats(DEFAULT_LIMITS),
  );
  for (const name of Object.keys(weights)) {
    const v = new Version(s, name, {} as never, s.stats.version(name));
    v.status = 'running';
    v.instances = Array.from({ length: healthy[name] ?? 1 }, (_, i) => {
      const instance = new Instance(v, i, '/dev/null', v.stats.instance(i));
      instance.status = 'healthy';
      return instance;
    });
    s.versions.set(name, v);
    v.refreshRoutable();
  }
  s.weights = new Map(Object.entries(weights));
  s.refreshRouting();
  return s;
}

const choice = (): Choice => ({ version: undefined, how: Chosen.weighted });

describe('choosing a version', () => {
  it('gives a 0.5% weight exactly its share of evenly spread draws', () => {
    const s = service({ v1: 99.5, v2: 0.5 });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const name = drawVersion(s, (i + 0.5) / 10_000)?.name as string;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    expect(counts).toEqual({ v1: 9950, v2: 50 });
  });

  it('skips a drawn version with no healthy instance for the next weighted one', () => {
    const s = service({ v1: 50, v2: 50 }, { v1: 0 });
    expect(drawVersion(s, 0.1)?.name).toBe('v2');
  });

  it('sends the canary header to the canary even at weight 0, and the sticky cookie to its version', () => {
    const s = service({ v1: 100, v2: 0 });
    s.canaryVersion = 'v2';
    s.refreshRouting();
    expect(chooseVersion(s, { 'x-gantry-canary': '1' }, () => 0, choice())).toMatchObject({
      how: Chosen.canary,
    });
    expect(chooseVersion(s, { 'x-gantry-canary': '1' }, () => 0, choice()).version?.name).toBe('v2');
    // A cookie for a version without weight is ignored: the weighted draw decides.
    expect(chooseVersion(s, { cookie: 'gantry_version=v2' }, () => 0.99, choice()).version?.name).toBe('v1');
    s.weights = new Map([
      ['v1', 50],
      ['v2', 50],
    ]);
    s.refreshRouting();
    const sticky = chooseVersion(s, { cookie: 'gantry_version=v2' }, () => 0, choice());
    expect([sticky.version?.name, sticky.how]).toEqual(['v2', Chosen.sticky]);
  });

  it('prefers the instance with the fewest requests in flight', () => {
    const s = service({ v1: 100 }, { v1: 3 });
    const v1 = s.versions.get('v1') as Version;
    const [a, b, c] = v1.instances as [Instance, Instance, Instance];
    a.inflight = 3;
    b.inflight = 1;
    c.inflight = 2;
    expect(v1.pickInstance()).toBe(b);
    expect(v1.pickInstance(b)).toBe(c);
  });
});
