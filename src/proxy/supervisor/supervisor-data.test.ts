import { describe, expect, it } from 'vitest';
import { parseVersionSpec } from '../model/spec.js';
import { restartDelayMs } from './backoff.js';
import { parseProcStat, parseRssBytes } from './proc-stat.js';
import { instanceSpawnSpec } from './spawn-spec.js';

describe('instance processes as data', () => {
  it('runs the command through /bin/sh with the proxy’s variables over the version’s env over its own', () => {
    const spec = parseVersionSpec({
      command: 'node server.js',
      instances: 2,
      cwd: '/srv/app',
      env: { FAULT: 'errors:5', PORT: '1' },
      health: { path: '/health' },
    });
    expect(
      instanceSpawnSpec({ service: 'shop', version: 'v2', index: 1, port: 41234 }, spec, {
        PATH: '/usr/bin',
        FAULT: 'none',
        GONE: undefined,
      }),
    ).toEqual({
      file: '/bin/sh',
      args: ['-c', 'node server.js'],
      cwd: '/srv/app',
      env: {
        PATH: '/usr/bin',
        FAULT: 'errors:5',
        PORT: '41234',
        GANTRY_SERVICE: 'shop',
        GANTRY_VERSION: 'v2',
        GANTRY_INSTANCE: '1',
      },
    });
  });

  it('waits 0.5, 1, 2, 4… seconds between restarts, never more than 30', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => restartDelayMs(n))).toEqual([
      500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });

  it('reads CPU ticks and start time from /proc/PID/stat even when the command name has spaces and parentheses', () => {
    const line =
      '4242 (node (worker) 1) S 1 4242 4242 0 -1 4194560 2012 0 0 0 150 25 0 0 20 0 11 0 987654 1161621504 12000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ pid: 4242, state: 'S', cpuTicks: 175, startTicks: 987654 });
    expect(parseRssBytes('Name:\tnode\nVmRSS:\t   51200 kB\nThreads: 11\n')).toBe(51200 * 1024);
  });
});
