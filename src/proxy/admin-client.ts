// Typed client of gantry-proxy's admin API (see README.md beside this file). The `local` target drives the
// proxy through this: declare a service, start versions, shift weights, read statistics.
//
//   const proxy = await AdminClient.forHome('.gantry');            // or ensureProxy(home) to start one
//   await proxy.declareService('shop', { listen: '127.0.0.1:8080' });
//   await proxy.startVersion('shop', 'v2', { command: 'node server.js', instances: 2, health: { path: '/health' } });
//   await proxy.setWeights('shop', { v1: 95, v2: 5 });
//   const { errorRate, latencyMs } = await proxy.stats('shop', { version: 'v2', sinceMs: Date.now() - 60_000 });

import { Agent, request } from 'node:http';
import { GantryError } from '../errors.js';
import { type ApiRequest, adminRequests } from './admin-requests.js';
import type {
  ApiErrorBody,
  MaintenanceSettings,
  ProxyHealth,
  ServiceDeclaration,
  ServiceState,
  StatsQuery,
  StatsReport,
  StopOptions,
  VersionSpec,
  VersionState,
} from './api.js';
import { proxyHome } from './home.js';
import { readToken } from './token.js';

export interface AdminClientOptions {
  token: string;
  /** The proxy's unix socket (`<GANTRY_HOME>/proxy.sock`)… */
  socketPath?: string;
  /** …or its loopback TCP admin address, e.g. "http://127.0.0.1:7070". */
  baseUrl?: string;
}

export class AdminClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });

  constructor(private readonly options: AdminClientOptions) {
    if (!options.socketPath && !options.baseUrl)
      throw new GantryError('GANTRY_USAGE', 'AdminClient needs a socketPath or a baseUrl');
  }

  /** A client of the proxy of a state directory, through its unix socket and token file. */
  static async forHome(home: string): Promise<AdminClient> {
    const paths = proxyHome(home);
    return new AdminClient({ token: await readToken(paths.tokenPath), socketPath: paths.socketPath });
  }

  /** Where this client connects, for messages. */
  get endpoint(): string {
    return this.options.socketPath ?? (this.options.baseUrl as string);
  }

  health(): Promise<ProxyHealth> {
    return this.send(adminRequests.health());
  }
  /** Prometheus text of every service, version and instance. */
  metrics(): Promise<string> {
    return this.send(adminRequests.metrics());
  }
  /** Stops the proxy; with keepInstances the instances keep running for the next proxy to adopt. */
  shutdown(keepInstances = false): Promise<{ stopping: true }> {
    return this.send(adminRequests.shutdown(keepInstances));
  }
  listServices(): Promise<ServiceState[]> {
    return this.send(adminRequests.listServices());
  }
  getService(service: string): Promise<ServiceState> {
    return this.send(adminRequests.getService(service));
  }
  /** Creates the service and starts listening; idempotent for the same listen address. */
  declareService(service: string, declaration: ServiceDeclaration): Promise<ServiceState> {
    return this.send(adminRequests.declareService(service, declaration));
  }
  /** Stops every version (draining) and the listener. */
  deleteService(service: string, options?: StopOptions): Promise<{ deleted: string }> {
    return this.send(adminRequests.deleteService(service, options));
  }
  /**
   * Starts the version's instances and resolves once all are healthy. Throws GANTRY_TARGET naming the
   * instance that failed, with its log tail in `context.logTail`. Idempotent for the same spec.
   */
  startVersion(service: string, version: string, spec: VersionSpec): Promise<VersionState> {
    return this.send(adminRequests.startVersion(service, version, spec));
  }
  getVersion(service: string, version: string): Promise<VersionState> {
    return this.send(adminRequests.getVersion(service, version));
  }
  /** Drains the version (no new requests, in-flight ones finish), stops its instances and forgets it. */
  stopVersion(service: string, version: string, options?: StopOptions): Promise<{ stopped: string }> {
    return this.send(adminRequests.stopVersion(service, version, options));
  }
  /** Adds instances (resolves when healthy) or drains and stops the highest-numbered ones. */
  scaleVersion(
    service: string,
    version: string,
    instances: number,
    options?: StopOptions,
  ): Promise<VersionState> {
    return this.send(adminRequests.scaleVersion(service, version, instances, options));
  }
  /** Replaces all weights (relative; versions not named get 0), e.g. { v1: 99.5, v2: 0.5 }. */
  setWeights(service: string, weights: Record<string, number>): Promise<ServiceState> {
    return this.send(adminRequests.setWeights(service, weights));
  }
  /** The version the canary header (default `X-Gantry-Canary: 1`) forces, whatever its weight; null for none. */
  setCanary(service: string, version: string | null): Promise<ServiceState> {
    return this.send(adminRequests.setCanary(service, version));
  }
  /** 503 with `X-Maintenance-Mode: true`, `Retry-After` and a small page to everyone but canary-header requests. */
  setMaintenance(service: string, settings: MaintenanceSettings): Promise<ServiceState> {
    return this.send(adminRequests.setMaintenance(service, settings));
  }
  /** Counts, error rate, rate, percentiles, resources and restarts over a window (default the last minute). */
  stats(service: string, query?: StatsQuery): Promise<StatsReport> {
    return this.send(adminRequests.stats(service, query));
  }

  /** Closes idle connections to the proxy. */
  close(): void {
    this.agent.destroy();
  }

  /** Sends one request; a JSON error body becomes the GantryError the proxy raised. */
  send<T>(req: ApiRequest): Promise<T> {
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const base = this.options.baseUrl ? new URL(this.options.baseUrl) : undefined;
    return new Promise<T>((resolve, reject) => {
      const outgoing = request(
        {
          agent: this.agent,
          socketPath: this.options.socketPath,
          host: base?.hostname.replace(/^\[|\]$/g, ''),
          port: base?.port,
          method: req.method,
          path: req.path,
          headers: {
            authorization: `Bearer ${this.options.token}`,
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const json = (res.headers['content-type'] ?? '').startsWith('application/json');
            if ((res.statusCode ?? 500) < 400) return resolve((json ? JSON.parse(text) : text) as T);
            reject(toGantryError(req, res.statusCode ?? 500, json ? safeParse(text) : undefined, text));
          });
        },
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) => reject(this.unreachable(req, error)));
      outgoing.end(body);
    });
  }

  private unreachable(req: ApiRequest, error: NodeJS.ErrnoException): GantryError {
    return new GantryError(
      'GANTRY_TARGET',
      `gantry-proxy at ${this.endpoint} did not answer ${req.method} ${req.path}: ${error.code ?? error.message}`,
      {
        where: this.endpoint,
        hint: 'is the proxy running? start it with "gantry proxy --detach" (same GANTRY_HOME), or check its log in <GANTRY_HOME>/logs/proxy.log',
        cause: error,
      },
    );
  }
}

function toGantryError(
  req: ApiRequest,
  status: number,
  body: ApiErrorBody | undefined,
  text: string,
): GantryError {
  const error = body?.error;
  if (!error)
    return new GantryError(
      'GANTRY_TARGET',
      `gantry-proxy answered ${status} to ${req.method} ${req.path}: ${text.slice(0, 500)}`,
    );
  const { code, message, hint, where, ...context } = error;
  return new GantryError(code as GantryError['code'], message, {
    hint,
    where,
    context: { ...context, httpStatus: status },
  });
}

function safeParse(text: string): ApiErrorBody | undefined {
  try {
    return JSON.parse(text) as ApiErrorBody;
  } catch {
    return undefined;
  }
}
