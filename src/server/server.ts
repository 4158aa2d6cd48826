// `gantry server`: the API and dashboard on one address, and an engine in the same process that adopts
// every deployment without a live engine — so deployments started through the API are driven here.

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { adoptOrphans } from '../engine/adopt.js';
import { Engine } from '../engine/engine.js';
import type { Journal } from '../journal/journal.js';
import { createApp } from './app.js';
import { AuditStatusCache } from './audit-status.js';
import type { ServerDeps } from './context.js';
import { DEFAULT_DASHBOARD_DIR } from './dashboard.js';
import { DeploymentDetails } from './deployment-detail.js';
import { EventHub } from './event-hub.js';
import { GantryMetrics } from './metrics.js';
import { FailureLimiter } from './rate-limit.js';

export interface ServerOptions {
  journal: Journal;
  host: string;
  port: number;
  home?: string;
  env?: NodeJS.ProcessEnv;
  dashboardDir?: string;
  /** How often the engine looks for deployments to adopt, and the hub for new events. */
  adoptPollMs?: number;
  eventPollMs?: number;
  /** Run no engine (another process drives deployments). */
  noEngine?: boolean;
  limiter?: FailureLimiter;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  engine: Engine | undefined;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const { journal } = options;
  const hub = new EventHub(journal, options.eventPollMs ?? 250);
  const metrics = new GantryMetrics();
  await metrics.load(journal);
  hub.subscribe((events) => metrics.observe(events));
  await hub.start();
  const deps: ServerDeps = {
    journal,
    hub,
    metrics,
    audit: new AuditStatusCache(journal),
    details: new DeploymentDetails(journal, hub),
    limiter: options.limiter ?? new FailureLimiter(),
    dashboardDir: options.dashboardDir ?? DEFAULT_DASHBOARD_DIR,
  };
  const app = createApp(deps, { log });
  const server = await listen(app.fetch, options.host, options.port);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const stopping = new AbortController();
  const engine = options.noEngine
    ? undefined
    : new Engine({
        journal,
        home: options.home,
        env: options.env,
        logFor: (id) => (line) => log(`${id} ${line}`),
      });
  const adopting = engine
    ? adoptOrphans(engine, journal, { pollMs: options.adoptPollMs ?? 500, log, signal: stopping.signal })
    : Promise.resolve();
  log(
    `gantry server listening on ${url}${engine ? `; engine ${engine.holder.holderId} adopting deployments` : ''}`,
  );

  return {
    url,
    engine,
    async close() {
      stopping.abort();
      hub.stop();
      await engine?.close();
      await adopting.catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type NodeServer = ReturnType<typeof serve> & {
  closeAllConnections(): void;
  address(): AddressInfo | string | null;
};

function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  hostname: string,
  port: number,
): Promise<NodeServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server as NodeServer)) as NodeServer;
    server.once('error', reject);
  });
}
