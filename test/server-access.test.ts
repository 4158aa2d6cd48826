// Access control over real HTTP: every route the API registers refuses a request without a token (401)
// and one from a user whose roles do not grant the route's action (403).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, createApp } from '../src/server/app.js';
import { AuditStatusCache } from '../src/server/audit-status.js';
import { DeploymentDetails } from '../src/server/deployment-detail.js';
import { EventHub } from '../src/server/event-hub.js';
import { GantryMetrics } from '../src/server/metrics.js';
import { ACTIONS, type Action, actionsOf } from '../src/server/permissions.js';
import { FailureLimiter } from '../src/server/rate-limit.js';
import { type TestServer, testServer } from './support/gantry-server.js';

let t: TestServer;

/** For each action, a set of roles that does not grant it (a user without roles grants nothing). */
const REFUSED: Record<Action, string[]> = {
  read: [],
  deploy: ['viewer'],
  operate: ['viewer', 'release-manager'],
  rollback: ['viewer'],
  check: ['release-manager'],
  approve: ['deployer'],
  admin: ['deployer', 'release-manager'],
};

const tokens = new Map<string, string>();

beforeAll(async () => {
  t = await testServer({ engine: false });
  for (const [action, roles] of Object.entries(REFUSED)) {
    tokens.set(action, await t.user(`no-${action}`, roles));
  }
});
afterAll(async () => {
  await t?.close();
});

function concrete(path: string): string {
  return path.replace(':id', 'd-0000000000').replace(':name', 'someone').replace(':service', 'shop-api');
}

describe('access control', () => {
  it('the refusing role sets really lack the action they are used for', () => {
    for (const action of ACTIONS) expect(actionsOf(REFUSED[action])).not.toContain(action);
  });

  it('covers every route the app registers, each with a permission', () => {
    const app = createApp({
      journal: t.journal,
      hub: new EventHub(t.journal),
      metrics: new GantryMetrics(),
      audit: new AuditStatusCache(t.journal),
      details: new DeploymentDetails(t.journal),
      limiter: new FailureLimiter(),
    });
    const listed = new Set(API_ROUTES.map((route) => `${route.method} ${route.path}`));
    const registered = app.routes
      .filter((r) => (r.path.startsWith('/api') || r.path === '/metrics') && r.path !== '/api/*')
      .map((r) => `${r.method} ${r.path}`);
    for (const route of registered) expect(listed).toContain(route);
    expect(API_ROUTES.length).toBeGreaterThanOrEqual(20);
    for (const route of API_ROUTES) expect(ACTIONS).toContain(route.action);
  });

  for (const route of API_ROUTES) {
    it(`${route.method} ${route.path} answers 401 without a token and 403 to a user who may not ${route.action}`, async () => {
      const path = concrete(route.path);
      const body = route.method === 'GET' ? undefined : {};
      const anonymous = await t.request(undefined, route.method, path, body);
      expect(anonymous.status).toBe(401);
      expect((await anonymous.json()).error.code).toBe('GANTRY_UNAUTHENTICATED');

      const token = tokens.get(route.action) as string;
      const refused = route.tokenInBody
        ? await t.request(undefined, route.method, path, { token })
        : await t.request(token, route.method, path, body);
      expect(refused.status).toBe(403);
      expect((await refused.json()).error.code).toBe('GANTRY_NOT_ALLOWED');
    });
  }

  it('refuses an unknown API path with 401 before saying it does not exist', async () => {
    expect((await t.request(undefined, 'GET', '/api/nothing-here')).status).toBe(401);
    const admin = await t.user('root', ['admin']);
    expect((await t.request(admin, 'GET', '/api/nothing-here')).status).toBe(404);
  });
});
