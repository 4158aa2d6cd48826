import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessLogReader, parseLine } from './access-log.js';
import { NginxLogStats } from './log-stats.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gantry-access-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const line = (t: number, status: number, seconds: number, version: string, upstream = '127.0.0.1:3001') =>
  `${JSON.stringify({ time: t, status, requestTime: seconds, upstream, version })}\n`;

describe('reading the JSON access log of the nginx target', () => {
  it('reads a line as nginx writes it, and leaves what nginx answered itself without a version', () => {
    expect(
      parseLine(
        '{"time":1700000000.123,"status":200,"requestTime":0.004,"upstream":"127.0.0.1:3001","version":"v2"}',
      ),
    ).toEqual({
      tMs: 1700000000123,
      status: 200,
      latencyMs: 4,
      version: 'v2',
    });
    expect(parseLine(line(1700000000, 503, 0, 'v1', '').trim())?.version).toBe('');
    expect(parseLine('127.0.0.1 - - [22/Nov/2026] "GET / HTTP/1.1" 200')).toBeUndefined();
  });

  it('reads only what was added since, finishing a half-written line later, and starts over after rotation', async () => {
    const path = join(dir, 'access.json');
    const reader = new AccessLogReader(path);
    expect(await reader.readNew()).toEqual([]);
    writeFileSync(path, line(1, 200, 0.001, 'v1') + line(2, 500, 0.002, 'v2').slice(0, 20));
    expect((await reader.readNew()).map((r) => r.tMs)).toEqual([1000]);
    appendFileSync(path, line(2, 500, 0.002, 'v2').slice(20));
    expect((await reader.readNew()).map((r) => r.tMs)).toEqual([2000]);
    rmSync(path);
    writeFileSync(path, line(3, 200, 0.001, 'v1'));
    expect((await reader.readNew()).map((r) => r.tMs)).toEqual([3000]);
  });

  it('answers a stats query per version like gantry-proxy: error rate and latency of the window', async () => {
    const path = join(dir, 'access.json');
    const now = Math.floor(Date.now() / 1000);
    writeFileSync(
      path,
      [200, 200, 500, 200]
        .map((status, i) => line(now - 2 + i * 0.1, status, 0.01 * (i + 1), 'v2'))
        .join('') +
        line(now - 2, 200, 0.001, 'v1') +
        line(now - 2, 503, 0, 'v2', ''),
    );
    const report = await new NginxLogStats(path).stats('shop.test', {
      version: 'v2',
      sinceMs: (now - 10) * 1000,
      untilMs: now * 1000,
    });
    expect(report.requests.total).toBe(4);
    expect(report.errorRate).toBe(0.25);
    expect(report.latencyMs?.max).toBeCloseTo(40, 0);
  });
});
