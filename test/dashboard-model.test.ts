// The dashboard's reading of events (web/src/deployment): series for its charts, and which buttons a
// person is offered. Pure functions, tested without a browser.

import { describe, expect, it } from 'vitest';
import { EVENT } from '../src/deployment/events.js';
import { foldEvents } from '../src/deployment/state.js';
import { eventsFrom } from '../src/deployment/testing/events.js';
import type { StepOutline } from '../web/src/api.js';
import { allowedActions } from '../web/src/deployment/permissions.js';
import { decisionsOf, metricsOf, weightsOf } from '../web/src/deployment/series.js';

const events = eventsFrom('d-1', [
  { type: EVENT.created, actor: 'alice' },
  { type: EVENT.weightSet, data: { weightPct: 10 } },
  { type: EVENT.measurement, data: { metric: 'error_rate', value: 0.002, role: 'canary' } },
  { type: EVENT.measurement, data: { metric: 'error_rate', value: 0.001, role: 'stable' } },
  {
    type: EVENT.decision,
    data: { tier: 'warn', explanation: 'above 0.5%', evidence: { left: { metric: 'error_rate' } } },
  },
  { type: EVENT.weightSet, data: { weightPct: 50 } },
  { type: EVENT.measurement, data: { metric: 'error_rate', value: 0.003, role: 'canary' } },
]);

const steps: StepOutline[] = [
  {
    id: 'checklist[0]',
    track: 'main',
    index: 0,
    section: 'checklist',
    kind: 'checklist',
    name: 'checklist',
    items: ['a'],
  },
  {
    id: 'steps[0]',
    track: 'main',
    index: 1,
    section: 'steps',
    kind: 'approval',
    name: 'go',
    approvals: [{ role: 'release-manager', count: 1 }],
  },
];

describe('the dashboard model', () => {
  it('turns events into weights, per-role metric series and decisions', () => {
    expect(weightsOf(events).map((p) => p.weightPct)).toEqual([10, 50]);
    const [series] = metricsOf(events);
    expect(series?.metric).toBe('error_rate');
    expect(series?.times).toHaveLength(3);
    expect(series?.roles.get('canary')).toEqual([0.002, null, 0.003]);
    expect(series?.roles.get('stable')).toEqual([null, 0.001, null]);
    expect(decisionsOf(events)).toMatchObject([
      { tier: 'warn', metric: 'error_rate', explanation: 'above 0.5%' },
    ]);
  });

  it('offers approval only to a holder of a needed role who did not request the deployment', () => {
    const state = foldEvents(events);
    const bob = { name: 'bob', roles: ['release-manager'], actions: ['read', 'approve'] };
    const alice = {
      name: 'alice',
      roles: ['release-manager', 'deployer'],
      actions: ['read', 'approve', 'operate', 'check'],
    };
    expect(allowedActions(bob, state, steps).approve?.roles).toEqual(['release-manager']);
    expect(allowedActions(bob, state, steps).pause).toBe(false);
    expect(allowedActions(alice, state, steps).approve).toBeUndefined();
    expect(allowedActions(alice, state, steps)).toMatchObject({
      pause: true,
      abort: true,
      check: { id: 'checklist[0]' },
    });
    const approved = foldEvents([
      ...events,
      ...eventsFrom('d-1', [
        { type: EVENT.approvalGranted, data: { stepId: 'steps[0]', role: 'release-manager' }, actor: 'bob' },
      ]).map((e) => ({ ...e, index: events.length })),
    ]);
    expect(allowedActions(bob, approved, steps).approve).toBeUndefined();
  });
});
