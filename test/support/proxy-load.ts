// HTTP load for the proxy tests: a fixed number of requests, or a steady rate until stopped. Every request
// is accounted for: its status, the version that served it, or the network error it met.

import { Agent, request } from 'node:http';

export interface LoadResult {
  sent: number;
  statuses: Record<number, number>;
  byVersion: Record<string, number>;
  /** Network errors and statuses outside 2xx, described. */
  failures: string[];
  /** Requests sent again because the server closed their idle keep-alive connection as they were sent. */
  resent: number;
}

export interface RequestOptions {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Statuses that count as success; default 2xx. */
  ok?: (status: number) => boolean;
  /**
   * Send a GET again, once, when the server reset the reused keep-alive connection it went out on: what
   * browsers and most HTTP clients do, because a server may close an idle connection at any moment and the
   * request then never reached it (RFC 9112 §9.3.1; Node's `request.reusedSocket`). nginx closes its idle
   * connections on every reload, so a client that never resends sees resets that no server can prevent.
   * A reset on a fresh connection, a second reset and any other method still count as failures.
   */
  resendOnReusedConnectionReset?: boolean;
}

function newResult(): LoadResult {
  return { sent: 0, statuses: {}, byVersion: {}, failures: [], resent: 0 };
}

function one(
  agent: Agent,
  baseUrl: string,
  options: RequestOptions,
  result: LoadResult,
  resending = false,
): Promise<void> {
  const url = new URL(options.path ?? '/', baseUrl);
  const ok = options.ok ?? ((status: number) => status >= 200 && status < 300);
  const method = options.method ?? 'GET';
  if (!resending) result.sent++;
  return new Promise((resolve) => {
    const req = request(url, { agent, method, headers: options.headers }, (res) => {
      const status = res.statusCode ?? 0;
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      const version = res.headers['x-gantry-version'];
      if (typeof version === 'string') result.byVersion[version] = (result.byVersion[version] ?? 0) + 1;
      let body = '';
      res.on('data', (chunk: Buffer) => {
        if (body.length < 300) body += chunk.toString();
      });
      res.on('end', () => {
        if (!ok(status)) result.failures.push(`${status} ${body.trim().slice(0, 200)}`);
        resolve();
      });
      res.on('error', (error) => {
        result.failures.push(`response error: ${error.message}`);
        resolve();
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      const resend =
        options.resendOnReusedConnectionReset &&
        !resending &&
        method === 'GET' &&
        req.reusedSocket &&
        error.code === 'ECONNRESET';
      if (resend) {
        result.resent++;
        one(agent, baseUrl, options, result, true).then(resolve);
        return;
      }
      result.failures.push(`request error: ${error.code ?? error.message}`);
      resolve();
    });
    req.end();
  });
}

/** Sends `count` requests, `concurrency` at a time. */
export async function fire(
  baseUrl: string,
  count: number,
  options: RequestOptions & { concurrency?: number } = {},
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 16 });
  const result = newResult();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await one(agent, baseUrl, options, result);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  agent.destroy();
  return result;
}

/** Starts `ratePerSec` requests a second (open loop, bounded by `maxDurationMs`) until `stop()`. */
export function steadyLoad(
  baseUrl: string,
  options: RequestOptions & { ratePerSec: number; maxDurationMs?: number },
) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const result = newResult();
  const pending = new Set<Promise<void>>();
  const tickMs = 10;
  const perTick = options.ratePerSec / (1000 / tickMs);
  let owed = 0;
  const startedAt = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - startedAt > (options.maxDurationMs ?? 60_000)) return;
    owed += perTick;
    for (; owed >= 1; owed--) {
      const p = one(agent, baseUrl, options, result).then(() => {
        pending.delete(p);
      });
      pending.add(p);
    }
  }, tickMs);
  return {
    result,
    async stop(): Promise<LoadResult> {
      clearInterval(timer);
      await Promise.all(pending);
      agent.destroy();
      return result;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
