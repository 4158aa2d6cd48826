// A `gantry server` in the test process on a free loopback port, over a throwaway state directory, with
// users and tokens made the way an administrator makes them.

import type { Journal } from '../../src/journal/journal.js';
import { FailureLimiter } from '../../src/server/rate-limit.js';
import { type RunningServer, startServer } from '../../src/server/server.js';
import { issueToken } from '../../src/server/tokens.js';
import { type Workspace, workspace } from './workspace.js';

export interface TestServer {
  ws: Workspace;
  journal: Journal;
  server: RunningServer;
  url: string;
  /** Adds (or updates) a user and returns a fresh token for them. */
  user(name: string, roles: string[]): Promise<string>;
  request(token: string | undefined, method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  engine?: boolean;
  limiter?: FailureLimiter;
  dashboardDir?: string;
}

export async function testServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ws = workspace('gantry-server-');
  const journal = await ws.openJournal();
  const server = await startServer({
    journal,
    host: '127.0.0.1',
    port: 0,
    home: ws.home,
    env: {},
    noEngine: options.engine === false,
    adoptPollMs: 100,
    eventPollMs: 50,
    limiter: options.limiter ?? new FailureLimiter({ maxFailures: 1_000 }),
    dashboardDir: options.dashboardDir,
  });
  return {
    ws,
    journal,
    server,
    url: server.url,
    async user(name, roles) {
      await journal.putUser(name, roles);
      return (await issueToken(journal, { user: name, expiresInMs: 3_600_000 })).token;
    },
    request(token, method, path, body) {
      return fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    async close() {
      await server.close();
      await journal.close();
      ws.remove();
    },
  };
}
