import { describe, expect, it } from 'vitest';
import { didYouMean, nearest, typoDistance } from './suggest.js';

describe('did you mean', () => {
  it('counts swapped neighbours as one edit', () => {
    expect(typoDistance('fro', 'for')).toBe(1);
    expect(typoDistance('stratgey', 'strategy')).toBe(1);
    expect(typoDistance('instancs', 'instances')).toBe(1);
  });

  it('suggests the nearest candidate, ignoring case', () => {
    expect(nearest('Servce', ['service', 'environment'])).toBe('service');
    expect(nearest('Service', ['service'])).toBe('service');
    expect(didYouMean('rolback', ['warn', 'pause', 'rollback'])).toBe(" (did you mean 'rollback'?)");
  });

  it('suggests nothing for a short word that is not clearly a typo', () => {
    expect(nearest('rps', ['cpu'])).toBeUndefined();
    expect(nearest('xyz', ['service', 'steps'])).toBeUndefined();
    expect(didYouMean('zzz', ['run'])).toBe('');
  });
});
