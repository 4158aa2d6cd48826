// The HTTP API and the dashboard as one Hono app: every API route behind authentication and its
// permission, errors as JSON with the same codes and hints the CLI prints.

import { Hono } from 'hono';
import { toError } from '../errors.js';
import { ACTION_ROUTES } from './action-routes.js';
import { ADMIN_ROUTES } from './admin-routes.js';
import { allow, authenticate } from './auth.js';
import type { ServerDeps, ServerEnv } from './context.js';
import { mountDashboard, securityHeaders } from './dashboard.js';
import { DEPLOYMENT_ROUTES } from './deployment-routes.js';
import { errorBody } from './http-errors.js';
import type { RouteSpec } from './route.js';
import { SESSION_ROUTES } from './session-routes.js';
import { STREAM_ROUTES } from './stream-routes.js';

export const API_ROUTES: readonly RouteSpec[] = [
  ...SESSION_ROUTES,
  ...DEPLOYMENT_ROUTES,
  ...ACTION_ROUTES,
  ...STREAM_ROUTES,
  ...ADMIN_ROUTES,
];

export interface AppOptions {
  /** Where unexpected errors are reported (the server's log). */
  log?: (line: string) => void;
}

export function createApp(deps: ServerDeps, options: AppOptions = {}): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  app.use('*', securityHeaders());
  for (const route of API_ROUTES) {
    const handler = (c: Parameters<RouteSpec['handle']>[0]) => route.handle(c, deps);
    if (route.tokenInBody) app.on(route.method, route.path, handler);
    else app.on(route.method, route.path, authenticate(deps), allow(route.action), handler);
  }
  app.all('/api/*', authenticate(deps), (c) =>
    c.json({ error: { code: 'GANTRY_USAGE', message: `no API route ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.onError((thrown, c) => {
    const { status, body } = errorBody(thrown);
    if (status === 500) options.log?.(`${c.req.method} ${c.req.path} failed: ${toError(thrown).stack}`);
    return c.json(body, status);
  });
  mountDashboard(app, deps.dashboardDir);
  return app;
}
