// Signing in to the dashboard: the person pastes a token, the server checks it (failed attempts are
// rate-limited per address) and keeps it in an HttpOnly, SameSite=Strict cookie until it expires.

import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { checkPresented, fail, notAllowed, rateLimited, SESSION_COOKIE, unauthenticated } from './auth.js';
import { actionsOf, may } from './permissions.js';
import { bodyOf, type RouteSpec } from './route.js';

const signInBody = z.object({ token: z.string().optional() });

export const SESSION_ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: '/api/session',
    action: 'read',
    tokenInBody: true,
    async handle(c, deps) {
      const limited = rateLimited(deps, c);
      if (limited) return fail(c, limited);
      const { token } = await bodyOf(c, signInBody);
      if (!token) return fail(c, unauthenticated('paste a token to sign in'));
      const check = await checkPresented(deps, c, token);
      if (!check.ok) return fail(c, unauthenticated(`sign-in refused: the token is ${check.reason}`));
      if (!may(check.user.roles, 'read'))
        return fail(c, notAllowed(check.user.name, check.user.roles, 'read'));
      const expires = check.token.expiresAt ? new Date(check.token.expiresAt) : undefined;
      setCookie(c, SESSION_COOKIE, token.trim(), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: new URL(c.req.url).protocol === 'https:',
        ...(expires ? { expires } : {}),
      });
      return c.json({ name: check.user.name, roles: check.user.roles, actions: actionsOf(check.user.roles) });
    },
  },
  {
    method: 'DELETE',
    path: '/api/session',
    action: 'read',
    handle(c) {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ signedOut: true });
    },
  },
  {
    method: 'GET',
    path: '/api/me',
    action: 'read',
    handle(c) {
      const user = c.get('user');
      return c.json({ name: user.name, roles: user.roles, actions: actionsOf(user.roles) });
    },
  },
  {
    method: 'GET',
    path: '/metrics',
    action: 'read',
    async handle(c, { metrics }) {
      return c.body(await metrics.text(), 200, { 'content-type': metrics.contentType });
    },
  },
];
