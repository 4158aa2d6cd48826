import { describe, expect, it } from 'vitest';
import { formatListenAddress, parseListenAddress } from '../listen-address.js';
import { parseName, parseServiceDeclaration, parseVersionSpec } from './spec.js';

describe('admin payloads', () => {
  it('fills every default of a version spec', () => {
    expect(
      parseVersionSpec({ command: 'node server.js', instances: 2, health: { path: '/health' } }),
    ).toEqual({
      command: 'node server.js',
      instances: 2,
      env: {},
      cwd: null,
      health: {
        path: '/health',
        expectStatus: 200,
        intervalMs: 1000,
        timeoutMs: 1000,
        startupTimeoutMs: 30_000,
        unhealthyThreshold: 2,
      },
      memoryLimitBytes: null,
      drain: { drainTimeoutMs: 30_000, killAfterMs: 10_000 },
    });
  });

  it('lists every problem of an invalid spec with its path', () => {
    expect(() =>
      parseVersionSpec({ command: 'x', instances: 1.5, health: { path: '/h', timeoutMs: -1 }, extra: true }),
    ).toThrow(/invalid version spec: .*instances: .*; .*health\.timeoutMs: .*(extra|Unrecognized)/);
  });

  it('defaults the sticky cookie and canary header of a service', () => {
    expect(parseServiceDeclaration({ listen: '127.0.0.1:8080' })).toEqual({
      listen: '127.0.0.1:8080',
      sticky: false,
      stickyCookie: 'gantry_version',
      canaryHeader: 'X-Gantry-Canary',
    });
  });

  it('accepts names safe in paths and file names only', () => {
    expect(parseName('version', 'v1.2.3-rc_1')).toBe('v1.2.3-rc_1');
    expect(() => parseName('service', '../etc')).toThrow('"../etc" is not a valid service name');
  });

  it('parses listen addresses in their three forms and refuses a bare port', () => {
    expect(parseListenAddress('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress(':80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(formatListenAddress({ host: '::1', port: 8080 })).toBe('[::1]:8080');
    expect(() => parseListenAddress('8080')).toThrow('"8080" is not a listen address');
  });
});
