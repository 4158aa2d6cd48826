// Asks nginx which configuration generation it serves: GET /__gantry/generation on the service's own
// listen address (a wildcard address is asked on loopback), answered by the rendered config itself.

import { request } from 'node:http';
import { GENERATION_PATH } from './render-config.js';

export interface CheckAddress {
  host: string;
  port: number;
  /** Sent as Host, so the request reaches this service's server block. */
  hostHeader?: string;
}

/** "8080" → 127.0.0.1:8080, "0.0.0.0:80" → 127.0.0.1:80, "[::]:80" → ::1, "10.0.0.5:80" as it is. */
export function checkAddressOf(listen: string, serverName?: string): CheckAddress {
  const at = listen.lastIndexOf(':');
  const port = Number(at < 0 ? listen : listen.slice(at + 1));
  const written = at < 0 ? '' : listen.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const host =
    written === '' || written === '*' || written === '0.0.0.0'
      ? '127.0.0.1'
      : written === '::'
        ? '::1'
        : written;
  const hostHeader = serverName
    ?.split(/\s+/)
    .find((name) => name && !name.startsWith('~') && !name.includes('*'));
  return { host, port, ...(hostHeader ? { hostHeader } : {}) };
}

export function generationReader(
  address: CheckAddress,
  timeoutMs = 1_000,
): () => Promise<string | undefined> {
  return () =>
    new Promise((resolve) => {
      const req = request(
        {
          host: address.host,
          port: address.port,
          path: GENERATION_PATH,
          agent: false,
          timeout: timeoutMs,
          headers: { connection: 'close', ...(address.hostHeader ? { host: address.hostHeader } : {}) },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve(res.statusCode === 200 ? body.trim() : undefined));
          res.on('error', () => resolve(undefined));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(undefined));
      req.end();
    });
}
