// A route of the API: method, path, the action it needs (permissions.ts) and its handler. The app
// registers each behind authentication and the permission check; the route table is also what the
// access-control test walks.

import type { Context } from 'hono';
import type { z } from 'zod';
import { GantryError } from '../errors.js';
import type { ServerDeps, ServerEnv } from './context.js';
import type { Action } from './permissions.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  method: Method;
  path: string;
  action: Action;
  /** The sign-in route reads its token from the body instead of a header or cookie. */
  tokenInBody?: boolean;
  handle(c: Context<ServerEnv>, deps: ServerDeps): Promise<Response> | Response;
}

/** The JSON body, validated; a bad one is the client's mistake (400), named field by field. */
export async function bodyOf<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const raw = await c.req.json().catch(() => undefined);
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  throw new GantryError('GANTRY_USAGE', `bad request body: ${problems.join('; ')}`, {
    hint: 'send JSON as described in docs/server.md',
  });
}

export function param(c: Context, name: string): string {
  return c.req.param(name) as string;
}
