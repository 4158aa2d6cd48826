// Upstream connection pools: one undici Pool (keep-alive connections) per instance process. undici's
// dispatch API costs about half the CPU of node:http's ClientRequest per proxied request, which is most of
// what a proxy does.

import { Pool } from 'undici';

/**
 * No cap on connections (a slow version must not queue behind its own pool, as nginx does not); idle
 * connections follow the instance's `Keep-Alive: timeout=N` hint, closing on our side first, so a request is
 * not sent on a socket the instance is closing. No header or body timeout: slow answers are the app's to
 * make, and the statistics show them.
 */
export function createUpstreamPool(host: string, port: number): Pool {
  return new Pool(`http://${host.includes(':') ? `[${host}]` : host}:${port}`, {
    connections: null,
    pipelining: 1,
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 4000,
    keepAliveMaxTimeout: 60_000,
  });
}
