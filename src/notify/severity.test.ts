import { describe, expect, it } from 'vitest';
import { severityOf } from './severity.js';

describe('severityOf', () => {
  it('ranks a failed or interrupted deployment critical and a rolled-back one a warning by default', () => {
    expect(severityOf('failed')).toBe('critical');
    expect(severityOf('interrupted')).toBe('critical');
    expect(severityOf('rolled_back')).toBe('warning');
    expect(severityOf('warning')).toBe('warning');
    expect(severityOf('succeeded')).toBe('info');
  });

  it('lets the plan re-rank an event and keeps the defaults for the others', () => {
    const overrides = { rolled_back: 'error', step: 'critical' } as const;
    expect(severityOf('rolled_back', overrides)).toBe('error');
    expect(severityOf('step', overrides)).toBe('critical');
    expect(severityOf('failed', overrides)).toBe('critical');
  });
});
