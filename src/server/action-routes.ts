// Acting on deployments: approve, check, pause, promote, abort, resume, acknowledge an escalation, and rolling
// a service back.
// Each runs the same engine function as the CLI, as the token's user.

import { z } from 'zod';
import type { OperatorCommand } from '../deployment/events.js';
import { GantryError } from '../errors.js';
import { operationsFor } from './context.js';
import { bodyOf, param, type RouteSpec } from './route.js';

const approveBody = z.object({
  comment: z.string().max(4_000).optional(),
  role: z.string().optional(),
  as: z.string().optional(),
  seenEventIndex: z.number().int().min(0).optional(),
});
const checkBody = z.object({ item: z.string().min(1), as: z.string().optional() });
const commandBody = z.object({
  reason: z.string().max(4_000).optional(),
  full: z.boolean().optional(),
  as: z.string().optional(),
});
const resumeBody = z.object({
  retry: z.boolean().optional(),
  skip: z.boolean().optional(),
  replan: z.boolean().optional(),
  plan: z.object({ path: z.string().min(1), source: z.string(), label: z.string().optional() }).optional(),
  as: z.string().optional(),
});
const ackBody = z.object({ comment: z.string().max(4_000).optional(), as: z.string().optional() });
const rollbackBody = z.object({
  environment: z.string().min(1),
  to: z.string().optional(),
  reason: z.string().max(4_000).optional(),
  as: z.string().optional(),
});

function commandRoute(command: OperatorCommand): RouteSpec {
  return {
    method: 'POST',
    path: `/api/deployments/:id/${command}`,
    action: 'operate',
    async handle(c, deps) {
      const body = await bodyOf(c, commandBody);
      return c.json(await operationsFor(deps, c.get('user')).command(param(c, 'id'), command, body));
    },
  };
}

export const ACTION_ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: '/api/deployments/:id/approve',
    action: 'approve',
    async handle(c, deps) {
      const body = await bodyOf(c, approveBody);
      return c.json(await operationsFor(deps, c.get('user')).approve(param(c, 'id'), body));
    },
  },
  {
    method: 'POST',
    path: '/api/deployments/:id/check',
    action: 'check',
    async handle(c, deps) {
      const body = await bodyOf(c, checkBody);
      return c.json(await operationsFor(deps, c.get('user')).check(param(c, 'id'), body.item, body.as));
    },
  },
  commandRoute('pause'),
  commandRoute('promote'),
  commandRoute('abort'),
  {
    method: 'POST',
    path: '/api/deployments/:id/resume',
    action: 'operate',
    async handle(c, deps) {
      const body = await bodyOf(c, resumeBody);
      if (body.replan && !body.plan) {
        throw new GantryError('GANTRY_USAGE', 'over a server, --replan needs --plan FILE', {
          hint: 'give the edited plan: gantry resume ID --replan --plan FILE',
        });
      }
      const result = await operationsFor(deps, c.get('user')).resume(param(c, 'id'), {
        retry: body.retry,
        skip: body.skip,
        replan: body.replan,
        planPath: body.plan?.label ?? body.plan?.path,
        planSnapshot: body.plan && { path: body.plan.path, source: body.plan.source },
        as: body.as,
      });
      return c.json(result);
    },
  },
  {
    method: 'POST',
    path: '/api/deployments/:id/ack',
    action: 'operate',
    async handle(c, deps) {
      const body = await bodyOf(c, ackBody);
      return c.json(await operationsFor(deps, c.get('user')).acknowledge(param(c, 'id'), body));
    },
  },
  {
    method: 'POST',
    path: '/api/services/:service/rollback',
    action: 'rollback',
    async handle(c, deps) {
      const body = await bodyOf(c, rollbackBody);
      return c.json(await operationsFor(deps, c.get('user')).rollback(param(c, 'service'), body));
    },
  },
];
