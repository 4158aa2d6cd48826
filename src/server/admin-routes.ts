// Users and tokens, for administrators. A token's secret is returned once, when it is created.

import { z } from 'zod';
import { GantryError } from '../errors.js';
import { bodyOf, param, type RouteSpec } from './route.js';
import { issueToken } from './tokens.js';

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const userBody = z.object({ roles: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)) });
const tokenBody = z.object({
  user: z.string().min(1),
  expiresInMs: z.number().int().positive().optional(),
  description: z.string().max(200).optional(),
});

export const ADMIN_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/api/users',
    action: 'admin',
    async handle(c, { journal }) {
      return c.json(await journal.listUsers());
    },
  },
  {
    method: 'PUT',
    path: '/api/users/:name',
    action: 'admin',
    async handle(c, { journal }) {
      const name = param(c, 'name');
      if (!USER_NAME.test(name)) throw new GantryError('GANTRY_USAGE', `"${name}" is not a valid user name`);
      const body = await bodyOf(c, userBody);
      return c.json(await journal.putUser(name, body.roles));
    },
  },
  {
    method: 'GET',
    path: '/api/tokens',
    action: 'admin',
    async handle(c, { journal }) {
      return c.json(await journal.listTokens());
    },
  },
  {
    method: 'POST',
    path: '/api/tokens',
    action: 'admin',
    async handle(c, { journal }) {
      const body = await bodyOf(c, tokenBody);
      return c.json(await issueToken(journal, body), 201);
    },
  },
  {
    method: 'DELETE',
    path: '/api/tokens/:id',
    action: 'admin',
    async handle(c, { journal }) {
      return c.json({ revoked: await journal.revokeToken(param(c, 'id')) });
    },
  },
];
