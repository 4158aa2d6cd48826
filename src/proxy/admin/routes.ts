// The admin API's routes: method and path to a handler that parses its input and calls the proxy core.
// src/proxy/README.md documents each one; admin-requests.ts builds the matching requests.

import type { ServiceState, StatsQuery } from '../api.js';
import {
  parseMaintenance,
  parseName,
  parseServiceDeclaration,
  parseStopOptions,
  parseVersionSpec,
} from '../model/spec.js';
import type { GantryProxy } from '../proxy.js';
import { badRequest } from './http-errors.js';

export interface AdminApi {
  proxy: GantryProxy;
  metricsText(): string;
  /** Stops the proxy after the response is sent. */
  shutdown(keepInstances: boolean): void;
}

export interface AdminRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface AdminResponse {
  status: number;
  body: unknown;
  /** Defaults to JSON; a string body with a content type is sent as is. */
  contentType?: string;
}

export interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  handle(api: AdminApi, req: AdminRequest): AdminResponse | Promise<AdminResponse>;
}

function route(method: string, path: string, handle: Route['handle']): Route {
  const pattern = new RegExp(`^${path.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`);
  return { method, path, pattern, handle };
}

const ok = (body: unknown): AdminResponse => ({ status: 200, body });
const svc = (req: AdminRequest) => parseName('service', req.params.service as string);
const ver = (req: AdminRequest) => parseName('version', req.params.version as string);

export const ROUTES: Route[] = [
  route('GET', '/health', (api) => ok(api.proxy.health())),
  route('GET', '/metrics', (api) => ({
    status: 200,
    body: api.metricsText(),
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
  })),
  route('POST', '/shutdown', (api, req) => {
    const keepInstances = (req.body as { keepInstances?: unknown } | undefined)?.keepInstances === true;
    api.shutdown(keepInstances);
    return { status: 202, body: { stopping: true, keepInstances } };
  }),
  route('GET', '/services', (api) => ok(api.proxy.services.map((s): ServiceState => s.toState()))),
  route('GET', '/services/:service', (api, req) => ok(api.proxy.service(svc(req)).toState())),
  route('PUT', '/services/:service', async (api, req) =>
    ok(await api.proxy.declareService(svc(req), parseServiceDeclaration(req.body))),
  ),
  route('DELETE', '/services/:service', async (api, req) => {
    await api.proxy.deleteService(svc(req), parseStopOptions(req.body));
    return ok({ deleted: svc(req) });
  }),
  route('PUT', '/services/:service/versions/:version', async (api, req) =>
    ok(await api.proxy.startVersion(svc(req), ver(req), parseVersionSpec(req.body))),
  ),
  route('GET', '/services/:service/versions/:version', (api, req) => {
    const service = api.proxy.service(svc(req));
    const version = api.proxy.version(svc(req), ver(req));
    return ok(version.toState(service.weightOf(version.name), service.canaryVersion === version.name));
  }),
  route('DELETE', '/services/:service/versions/:version', async (api, req) => {
    await api.proxy.stopVersion(svc(req), ver(req), parseStopOptions(req.body));
    return ok({ stopped: ver(req) });
  }),
  route('PUT', '/services/:service/versions/:version/instances', async (api, req) => {
    const { instances, ...stop } = (req.body ?? {}) as { instances?: unknown };
    if (typeof instances !== 'number' || !Number.isInteger(instances) || instances < 0 || instances > 64) {
      throw badRequest(
        '"instances" must be a whole number from 0 to 64',
        'send {"instances": 3}, optionally with drainTimeoutMs and killAfterMs',
      );
    }
    return ok(await api.proxy.scaleVersion(svc(req), ver(req), instances, parseStopOptions(stop)));
  }),
  route('PUT', '/services/:service/weights', (api, req) => {
    const weights = (req.body as { weights?: unknown } | undefined)?.weights;
    if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
      throw badRequest(
        'the body must be {"weights": {"<version>": <number>, …}}',
        'e.g. {"weights": {"v1": 99.5, "v2": 0.5}}',
      );
    }
    return ok(api.proxy.setWeights(svc(req), weights as Record<string, number>));
  }),
  route('PUT', '/services/:service/canary', (api, req) => {
    const version = (req.body as { version?: unknown } | undefined)?.version;
    if (version !== null && typeof version !== 'string') {
      throw badRequest(
        'the body must be {"version": "<version>"} or {"version": null}',
        'name the version the canary header forces, or null for none',
      );
    }
    return ok(api.proxy.setCanary(svc(req), version === null ? null : parseName('version', version)));
  }),
  route('PUT', '/services/:service/maintenance', (api, req) =>
    ok(api.proxy.setMaintenance(svc(req), parseMaintenance(req.body))),
  ),
  route('GET', '/services/:service/stats', (api, req) =>
    ok(api.proxy.queryStats(svc(req), parseStatsQuery(req.query))),
  ),
];

/** `?version=v2&instance=0&sinceMs=…&untilMs=…&series=1&recent=100` */
export function parseStatsQuery(query: URLSearchParams): StatsQuery {
  const parsed: StatsQuery = {};
  const version = query.get('version');
  if (version) parsed.version = parseName('version', version);
  for (const key of ['instance', 'sinceMs', 'untilMs', 'recent'] as const) {
    const text = query.get(key);
    if (text === null || text === '') continue;
    const value = Number(text);
    if (
      !Number.isFinite(value) ||
      value < 0 ||
      (key !== 'sinceMs' && key !== 'untilMs' && !Number.isInteger(value))
    ) {
      throw badRequest(
        `stats query: ${key}=${text} is not a valid number`,
        `${key} takes a whole number >= 0 (milliseconds since the epoch for sinceMs/untilMs)`,
      );
    }
    parsed[key] = value;
  }
  const series = query.get('series');
  if (series !== null) parsed.series = series === '1' || series === 'true';
  return parsed;
}

/** The route for a method and path, or which methods the path allows (for a 405), or nothing (404). */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const r of ROUTES) {
    const match = r.pattern.exec(path);
    if (!match) continue;
    if (r.method === method)
      return {
        route: r,
        params: Object.fromEntries(
          Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
        ),
      };
    allowed.push(r.method);
  }
  return allowed.length > 0 ? { allowed } : undefined;
}
