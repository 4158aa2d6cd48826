// Reading and starting deployments: the list, one deployment's detail and events, and `deploy`.

import { z } from 'zod';
import { isStatus, type Status } from '../deployment/status.js';
import { loadDeployment } from '../engine/inspect.js';
import { GantryError } from '../errors.js';
import { operationsFor } from './context.js';
import { bodyOf, param, type RouteSpec } from './route.js';
import { servicesOverview } from './services-overview.js';

const deployBody = z.object({
  plan: z.object({ path: z.string().min(1), source: z.string() }),
  version: z.string().min(1),
  queue: z.boolean().optional(),
  previousVersion: z.string().optional(),
  overrideWindow: z.object({ reason: z.string().min(1) }).optional(),
  as: z.string().optional(),
});

export const DEPLOYMENT_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/api/deployments',
    action: 'read',
    async handle(c, { journal }) {
      const statuses = c.req.query('status')?.split(',').filter(Boolean);
      const bad = statuses?.find((status) => !isStatus(status));
      if (bad) throw new GantryError('GANTRY_USAGE', `unknown status "${bad}"`);
      // Without a limit, as the journal does: every match (the CLI's `status` lists all in progress).
      const limit = Number(c.req.query('limit'));
      const records = await journal.listDeployments({
        service: c.req.query('service') || undefined,
        environment: c.req.query('environment') || undefined,
        statuses: statuses as Status[] | undefined,
        limit: Number.isInteger(limit) && limit > 0 ? limit : undefined,
      });
      return c.json(records);
    },
  },
  {
    method: 'POST',
    path: '/api/deployments',
    action: 'deploy',
    async handle(c, deps) {
      const body = await bodyOf(c, deployBody);
      const deployed = await operationsFor(deps, c.get('user')).deploy({
        planPath: body.plan.path,
        snapshot: body.plan,
        version: body.version,
        queue: body.queue,
        previousVersion: body.previousVersion,
        overrideWindow: body.overrideWindow,
        as: body.as,
      });
      return c.json(deployed, 201);
    },
  },
  {
    method: 'GET',
    path: '/api/deployments/:id',
    action: 'read',
    async handle(c, { details }) {
      return c.json(await details.get(param(c, 'id')));
    },
  },
  {
    method: 'GET',
    path: '/api/deployments/:id/events',
    action: 'read',
    async handle(c, { journal }) {
      const id = param(c, 'id');
      const from = Math.max(0, Number(c.req.query('from') ?? 0) || 0);
      if (!(await journal.getDeployment(id))) await loadDeployment(journal, id); // throws not-found
      const events = await journal.readEvents(id, from);
      // The dashboard does not check hashes (the audit does): without them a long history is a third smaller.
      if (c.req.query('compact') === '1')
        return c.json(events.map(({ prevHash: _p, hash: _h, ...event }) => event));
      return c.json(events);
    },
  },
  {
    method: 'GET',
    path: '/api/services',
    action: 'read',
    async handle(c, { journal }) {
      return c.json(await servicesOverview(journal));
    },
  },
  {
    method: 'GET',
    path: '/api/audit',
    action: 'read',
    async handle(c, { audit }) {
      return c.json(await audit.current());
    },
  },
];
