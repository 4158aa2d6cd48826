import { describe, expect, it } from 'vitest';
import { parsePlan } from './load.js';

const head = [
  'service: s',
  'target: { local: { run: node server.js, listen: 127.0.0.1:8080 } }',
  'strategy:',
  '  canary:',
  '    steps:',
  '      - setWeight: 25',
];

describe('an analysis step', () => {
  it('may judge at its own interval instead of the plan-wide one', () => {
    const result = parsePlan(
      [...head, '      - analysis: { duration: 2d, interval: 15m }', 'analysis: { interval: 5m }'].join('\n'),
      'plan.yaml',
    );
    const strategy = result.ok ? result.plan.strategy : undefined;
    const step = strategy && 'canary' in strategy ? strategy.canary.steps[1] : undefined;
    expect(step && 'analysis' in step && step.analysis.interval).toBe(900_000);
    expect(result.ok && result.plan.analysis.interval).toBe(300_000);
  });
});
