// Every API route is authenticated: a bearer token (CLI, scripts, Prometheus) or the dashboard's session
// cookie holding one. Failures count against the client's address (rate-limit.ts); permissions.ts decides
// what the user may do, checked per route by `allow`.

import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { GantryError } from '../errors.js';
import type { ServerDeps, ServerEnv } from './context.js';
import { errorBody } from './http-errors.js';
import { ACTION_MEANING, type Action, BUILTIN_ROLES, may } from './permissions.js';
import { checkToken, type TokenCheck } from './tokens.js';

export const SESSION_COOKIE = 'gantry_session';

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function fail(c: Context, error: GantryError): Response {
  const { status, body } = errorBody(error);
  if (status === 429) c.header('Retry-After', String(error.context.retryAfterSeconds ?? 60));
  return c.json(body, status);
}

/** Refuses the client while it has too many recent failures; otherwise checks the token and counts a failure. */
export async function checkPresented(deps: ServerDeps, c: Context, presented: string): Promise<TokenCheck> {
  const address = clientAddress(c);
  const check = await checkToken(deps.journal, presented);
  if (!check.ok) deps.limiter.fail(address);
  return check;
}

export function rateLimited(deps: ServerDeps, c: Context): GantryError | undefined {
  const waitMs = deps.limiter.retryAfterMs(clientAddress(c));
  if (waitMs === 0) return undefined;
  const retryAfterSeconds = Math.ceil(waitMs / 1000);
  return new GantryError('GANTRY_RATE_LIMITED', `too many failed sign-ins from this address`, {
    hint: `wait ${retryAfterSeconds}s, then sign in with a valid token`,
    context: { retryAfterSeconds },
  });
}

export function unauthenticated(reason: string): GantryError {
  return new GantryError('GANTRY_UNAUTHENTICATED', reason, {
    hint: 'set GANTRY_TOKEN to a token from `gantry token create --user NAME` (or sign in to the dashboard)',
  });
}

const REASONS: Record<Exclude<TokenCheck, { ok: true }>['reason'], string> = {
  malformed: 'the token is not a Gantry token',
  unknown: 'the token is not valid',
  expired: 'the token has expired',
  revoked: 'the token was revoked',
};

export function authenticate(deps: ServerDeps): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const limited = rateLimited(deps, c);
    if (limited) return fail(c, limited);
    const header = c.req.header('authorization');
    const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1];
    const cookie = bearer ? undefined : getCookie(c, SESSION_COOKIE);
    const presented = bearer ?? cookie;
    if (!presented) return fail(c, unauthenticated('this request carries no token'));
    const check = await checkPresented(deps, c, presented);
    if (!check.ok) return fail(c, unauthenticated(REASONS[check.reason]));
    const via = bearer ? 'bearer' : 'cookie';
    // A cookie is sent by the browser whatever page asks; a change made with it must come from our own
    // pages, which send JSON (a cross-site form cannot without a CORS preflight we never grant).
    if (via === 'cookie' && !['GET', 'HEAD'].includes(c.req.method) && !isJson(c)) {
      return fail(
        c,
        new GantryError('GANTRY_NOT_ALLOWED', 'a change made with the session cookie must send JSON'),
      );
    }
    c.set('user', check.user);
    c.set('via', via);
    await next();
  };
}

function isJson(c: Context): boolean {
  return (c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json');
}

/** Lets the request through only when the user's roles grant `action`. */
export function allow(action: Action): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (!may(user.roles, action)) return fail(c, notAllowed(user.name, user.roles, action));
    await next();
  };
}

export function notAllowed(name: string, roles: readonly string[], action: Action): GantryError {
  const granting = Object.entries(BUILTIN_ROLES)
    .filter(([, actions]) => (actions as readonly string[]).includes(action))
    .map(([role]) => role);
  if (action === 'approve' || action === 'read') granting.push('a role a plan names for approvals');
  return new GantryError(
    'GANTRY_NOT_ALLOWED',
    `${name} (${roles.join(', ') || 'no roles'}) may not ${ACTION_MEANING[action]}`,
    { hint: `an administrator can grant ${granting.join(' or ')}: \`gantry user add ${name} --role ROLE\`` },
  );
}
