import { describe, expect, it } from 'vitest';
import { EVENT } from '../deployment/events.js';
import { eventsFrom } from '../deployment/testing/events.js';
import { GantryMetrics } from './metrics.js';

describe('GantryMetrics', () => {
  it('counts deployments by status, rollbacks, step durations and breach-to-rollback time', async () => {
    const metrics = new GantryMetrics();
    const events = eventsFrom('d-1', [
      { type: EVENT.created },
      { type: EVENT.statusChanged, data: { from: 'pending', to: 'running' } },
      { type: EVENT.stepStarted, data: { stepId: 'steps[0]', kind: 'run' } },
      { type: EVENT.stepSucceeded, data: { stepId: 'steps[0]', durationMs: 2500 } },
      { type: EVENT.decision, data: { tier: 'rollback', explanation: 'error_rate 7% > 5% for 5m' } },
      { type: EVENT.rollbackStarted, data: { trigger: 'rule', reason: 'x', endStatus: 'rolled_back' } },
    ]);
    metrics.observe(events);
    metrics.observe(eventsFrom('d-2', [{ type: EVENT.created }]));
    const text = await metrics.text();
    expect(text).toContain('gantry_deployments{status="running"} 1');
    expect(text).toContain('gantry_deployments{status="pending"} 1');
    expect(text).toContain('gantry_rollbacks_total{trigger="rule"} 1');
    expect(text).toContain('gantry_step_duration_seconds_count{kind="run",outcome="succeeded"} 1');
    expect(text).toContain('gantry_step_duration_seconds_sum{kind="run",outcome="succeeded"} 2.5');
    // eventsFrom spaces events one second apart: the decision at :04, the rollback at :05.
    expect(text).toContain('gantry_breach_to_rollback_seconds_sum 1');
  });
});
