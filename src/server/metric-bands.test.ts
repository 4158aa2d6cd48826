import { describe, expect, it } from 'vitest';
import { parsePlan } from '../plan/load.js';
import { metricBands } from './metric-bands.js';

describe('metricBands', () => {
  it('reads each fixed threshold of the plan rules in the unit analysis records values in', () => {
    const parsed = parsePlan(
      `service: s
analysis:
  prometheus:
    url: http://127.0.0.1:9
    metrics: { error_rate: 'q', p95_latency: 'q', memory: 'q' }
  rules:
    - error_rate > 0.5% for 1m: warn
    - p95_latency > 1.5s for 5m: rollback
    - p95_latency(canary) > 1.2 × p95_latency(stable) for 2m: pause
rollback:
  automatic: ["memory > 512MiB for 3m"]
steps: [{ wait: 1s }]
`,
      'plan.yaml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    expect(metricBands(parsed.plan)).toEqual([
      {
        metric: 'error_rate',
        role: 'canary',
        operator: '>',
        value: 0.005,
        unit: 'ratio',
        tier: 'warn',
        text: 'error_rate > 0.5% for 1m: warn',
      },
      {
        metric: 'p95_latency',
        role: 'canary',
        operator: '>',
        value: 1500,
        unit: 'ms',
        tier: 'rollback',
        text: 'p95_latency > 1.5s for 5m: rollback',
      },
      {
        metric: 'memory',
        role: 'canary',
        operator: '>',
        value: 536_870_912,
        unit: 'bytes',
        tier: 'rollback',
        text: 'memory > 512MiB for 3m',
      },
    ]);
  });
});
