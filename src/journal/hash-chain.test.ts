import { describe, expect, it } from 'vitest';
import { canonicalEventBody, canonicalJson, GENESIS_HASH, hashEvent } from './hash-chain.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('keeps array order and writes undefined array items as null, as JSON.stringify does', () => {
    expect(canonicalJson([3, undefined, 1])).toBe('[3,null,1]');
  });

  it('leaves out undefined object members', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it('escapes strings exactly as JSON.stringify does', () => {
    const text = 'quote " backslash \\ newline \n tab \t é ✓ \u0000 \ud800';
    expect(canonicalJson({ text })).toBe(`{"text":${JSON.stringify(text)}}`);
  });

  it('writes numbers in their shortest round-trip form', () => {
    expect(canonicalJson([1, 1.5, -0, 1e21, 0.1 + 0.2])).toBe('[1,1.5,0,1e+21,0.30000000000000004]');
  });

  it('writes dates through toJSON', () => {
    expect(canonicalJson({ at: new Date('2030-01-02T03:04:05.678Z') })).toBe(
      '{"at":"2030-01-02T03:04:05.678Z"}',
    );
  });

  it('gives back the same text after a JSON round trip', () => {
    const text = canonicalJson({ z: [1, 'ü', { b: true, a: -2.5e-7 }], a: 'x' });
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it.each([
    ['NaN', { n: Number.NaN }, /\$\.n is NaN/],
    ['Infinity', { n: [Number.POSITIVE_INFINITY] }, /\$\.n\[0\] is Infinity/],
    ['a bigint', { n: 1n }, /\$\.n is a bigint/],
  ])('refuses %s, which JSON cannot hold exactly', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('refuses a value that contains itself', () => {
    const value: Record<string, unknown> = {};
    value.self = value;
    expect(() => canonicalJson(value)).toThrow(/\$\.self refers to itself/);
  });

  it('accepts the same object twice when it is not its own ancestor', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});

describe('hashEvent', () => {
  const fields = {
    seq: 1,
    deploymentId: 'dep-1',
    index: 0,
    at: '2030-01-02T03:04:05.678Z',
    type: 'deployment.created',
    actor: 'alice',
  };

  it('hashes the canonical body of the whole event, data spliced in as stored', () => {
    const data = { version: '1.2.3' };
    expect(canonicalEventBody(fields, canonicalJson(data))).toBe(canonicalJson({ ...fields, data }));
  });

  it('is sha256 of the previous hash followed by the body, so verifiers outside Gantry can recompute it', () => {
    // printf '%s' "$GENESIS"'{"actor":"alice",...,"type":"deployment.created"}' | sha256sum
    expect(hashEvent(GENESIS_HASH, fields, '{"version":"1.2.3"}')).toBe(
      '8c0220df1abe90e4c11242661d225685f146d997f2778c3154c2c2736669517a',
    );
  });

  it.each([
    ['seq', { seq: 2 }],
    ['deploymentId', { deploymentId: 'dep-2' }],
    ['index', { index: 1 }],
    ['at', { at: '2030-01-02T03:04:05.679Z' }],
    ['type', { type: 'deployment.started' }],
    ['actor', { actor: null }],
  ])('changes when %s changes', (_field, change) => {
    expect(hashEvent(GENESIS_HASH, { ...fields, ...change }, '{}')).not.toBe(
      hashEvent(GENESIS_HASH, fields, '{}'),
    );
  });

  it('changes with the previous hash and with the data', () => {
    const base = hashEvent(GENESIS_HASH, fields, '{}');
    expect(hashEvent('1'.repeat(64), fields, '{}')).not.toBe(base);
    expect(hashEvent(GENESIS_HASH, fields, '{"a":1}')).not.toBe(base);
  });
});
