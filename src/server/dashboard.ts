// Serves the built dashboard (web/dist): its files as they are, and index.html for the page itself.
// The page loads nothing from elsewhere, which the Content-Security-Policy states.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { ServerEnv } from './context.js';

/** web/dist beside the package: dist/server/dashboard.js and src/server/dashboard.ts both sit two levels down. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
    referrerPolicy: 'no-referrer',
  });
}

export function mountDashboard(app: Hono<ServerEnv>, dir: string | undefined): void {
  if (!dir || !existsSync(join(dir, 'index.html'))) {
    app.get('/', (c) =>
      c.text('The dashboard is not built: run `npm run build` (it builds web/ into web/dist).', 503),
    );
    return;
  }
  app.get('/assets/*', serveStatic({ root: dir }));
  app.get('/favicon.svg', serveStatic({ root: dir }));
  app.get('*', serveStatic({ root: dir, path: 'index.html' }));
}
