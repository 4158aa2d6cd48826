import { describe, expect, it } from 'vitest';
import { GantryError } from '../../errors.js';
import { adminRequests } from '../admin-requests.js';
import { errorResponse } from './http-errors.js';
import { matchRoute, parseStatsQuery } from './routes.js';

describe('admin API requests and routes', () => {
  it('builds each client call as a method, path and body', () => {
    expect(adminRequests.setWeights('shop', { v1: 99.5, v2: 0.5 })).toEqual({
      method: 'PUT',
      path: '/services/shop/weights',
      body: { weights: { v1: 99.5, v2: 0.5 } },
    });
    expect(adminRequests.scaleVersion('shop', 'v2', 3, { drainTimeoutMs: 1000 })).toEqual({
      method: 'PUT',
      path: '/services/shop/versions/v2/instances',
      body: { drainTimeoutMs: 1000, instances: 3 },
    });
    expect(
      adminRequests.stats('shop', { version: 'v2', sinceMs: 1000, series: true, recent: undefined }),
    ).toEqual({
      method: 'GET',
      path: '/services/shop/stats?version=v2&sinceMs=1000&series=1',
    });
    expect(adminRequests.stopVersion('shop', 'v1', { force: true })).toEqual({
      method: 'DELETE',
      path: '/services/shop/versions/v1',
      body: { force: true },
    });
  });

  it('matches every request the client builds to a route with its parameters', () => {
    const calls = [
      adminRequests.health(),
      adminRequests.metrics(),
      adminRequests.shutdown(),
      adminRequests.listServices(),
      adminRequests.getService('shop'),
      adminRequests.declareService('shop', { listen: ':80' }),
      adminRequests.deleteService('shop'),
      adminRequests.startVersion('shop', 'v2', { command: 'x', instances: 1, health: { path: '/' } }),
      adminRequests.getVersion('shop', 'v2'),
      adminRequests.stopVersion('shop', 'v2'),
      adminRequests.scaleVersion('shop', 'v2', 2),
      adminRequests.setWeights('shop', {}),
      adminRequests.setCanary('shop', null),
      adminRequests.setMaintenance('shop', { enabled: true }),
      adminRequests.stats('shop'),
    ];
    for (const call of calls)
      expect(
        matchRoute(call.method, call.path.split('?')[0] as string),
        `${call.method} ${call.path}`,
      ).toHaveProperty('route');
    expect(matchRoute('PUT', '/services/shop/versions/v2')).toMatchObject({
      params: { service: 'shop', version: 'v2' },
    });
    expect(matchRoute('POST', '/services/shop')).toEqual({ allowed: ['GET', 'PUT', 'DELETE'] });
    expect(matchRoute('GET', '/nope')).toBeUndefined();
  });

  it('parses a stats query and refuses a malformed number', () => {
    expect(
      parseStatsQuery(
        new URLSearchParams('version=v2&instance=1&sinceMs=1000.5&untilMs=2000&series=true&recent=50'),
      ),
    ).toEqual({
      version: 'v2',
      instance: 1,
      sinceMs: 1000.5,
      untilMs: 2000,
      series: true,
      recent: 50,
    });
    expect(() => parseStatsQuery(new URLSearchParams('recent=-1'))).toThrow(
      'recent=-1 is not a valid number',
    );
  });

  it('maps error codes to statuses and keeps the hint and context in the body', () => {
    const conflict = new GantryError('GANTRY_INVALID_STATE', 'busy', {
      hint: 'wait',
      where: 'shop/v2',
      context: { instance: 'v2-0' },
    });
    expect(errorResponse(conflict)).toEqual({
      status: 409,
      body: {
        error: {
          instance: 'v2-0',
          code: 'GANTRY_INVALID_STATE',
          message: 'busy',
          where: 'shop/v2',
          hint: 'wait',
        },
      },
    });
    expect(
      errorResponse(new GantryError('GANTRY_USAGE', 'gone', { context: { httpStatus: 404 } })).status,
    ).toBe(404);
    expect(errorResponse(new Error('boom')).status).toBe(500);
  });
});

describe('the detached daemon command', () => {
  it('runs the entry beside the module with the home and optional listeners', async () => {
    const { daemonCommand } = await import('../spawn.js');
    expect(
      daemonCommand(
        {
          home: '/srv/.gantry',
          admin: '127.0.0.1:7070',
          entry: '/opt/gantry/dist/proxy/main.js',
          nodeArgs: [],
        },
        '/usr/bin/node',
      ),
    ).toEqual({
      command: '/usr/bin/node',
      args: ['/opt/gantry/dist/proxy/main.js', '--home', '/srv/.gantry', '--admin', '127.0.0.1:7070'],
    });
  });
});
