// The tests' load client resends a GET whose reused keep-alive connection the server reset, as browsers do,
// and nothing else: a loopback server that resets chosen requests shows which resets are resent and which
// stay failures.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fire } from './support/proxy-load.js';

/**
 * Answers 200, except that it closes the connection, unanswered, on the requests `resetOn` names by their
 * number on their connection and overall (both from 1).
 */
async function resettingServer(
  resetOn: (requestOnConnection: number, requestOverall: number) => boolean,
): Promise<Server> {
  const counts = new WeakMap<object, number>();
  let overall = 0;
  const server = createServer((req, res) => {
    const n = (counts.get(req.socket) ?? 0) + 1;
    counts.set(req.socket, n);
    overall++;
    if (resetOn(n, overall)) req.socket.destroy();
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('the load client', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
  });
  /** Starts a resetting server in place of the last one; returns its URL. */
  async function serve(resetOn: Parameters<typeof resettingServer>[0]): Promise<string> {
    server?.closeAllConnections();
    server?.close();
    server = await resettingServer(resetOn);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const twoInARow = { concurrency: 1, resendOnReusedConnectionReset: true };

  it('resends a GET reset on a reused connection, once, and counts it', async () => {
    const url = await serve((n) => n === 2);
    const result = await fire(url, 2, twoInARow);
    expect(result).toMatchObject({ sent: 2, resent: 1, failures: [], statuses: { 200: 2 } });
  });

  it('counts that reset as a failure when not asked to resend', async () => {
    const url = await serve((n) => n === 2);
    const result = await fire(url, 2, { concurrency: 1 });
    expect(result).toMatchObject({ sent: 2, resent: 0, failures: ['request error: ECONNRESET'] });
  });

  it('never resends a reset on a fresh connection, nor a POST', async () => {
    const fresh = await serve((n) => n === 1);
    expect(await fire(fresh, 1, twoInARow)).toMatchObject({
      resent: 0,
      failures: ['request error: ECONNRESET'],
    });
    const reused = await serve((n) => n === 2);
    expect(await fire(reused, 2, { ...twoInARow, method: 'POST' })).toMatchObject({
      resent: 0,
      failures: ['request error: ECONNRESET'],
    });
  });

  it('resends only once: a reset of the resent request is a failure', async () => {
    // Request 2 is reset on the reused connection; its resend, the third to arrive, is reset too.
    const url = await serve((_n, overall) => overall === 2 || overall === 3);
    const result = await fire(url, 2, twoInARow);
    expect(result).toMatchObject({ sent: 2, resent: 1, failures: ['request error: ECONNRESET'] });
  });
});
