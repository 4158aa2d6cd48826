// Health probes: GET the version's health path on a fresh connection, expect a status, within a timeout.

import { request } from 'node:http';

export interface ProbeTarget {
  host: string;
  port: number;
  path: string;
  expectStatus: number;
  timeoutMs: number;
}

/** Resolves with null when healthy, else with what went wrong, in words. Never rejects. */
export function probe(target: ProbeTarget): Promise<string | null> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request({
      host: target.host,
      port: target.port,
      path: target.path,
      method: 'GET',
      agent: false,
      headers: { 'user-agent': 'gantry-proxy-health', connection: 'close' },
    });
    const timer = setTimeout(() => {
      settle(`GET ${target.path} took longer than ${target.timeoutMs} ms`);
      req.destroy();
    }, target.timeoutMs);
    req.on('response', (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      settle(
        status === target.expectStatus
          ? null
          : `GET ${target.path} answered ${status}, expected ${target.expectStatus}`,
      );
    });
    req.on('error', (error: Error & { code?: string }) =>
      settle(`GET ${target.path} failed: ${error.code ?? error.message}`),
    );
    req.end();
  });
}
