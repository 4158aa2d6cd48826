import { describe, expect, it } from 'vitest';
import type { Rule } from './rule.js';
import { formatRule } from './rule-format.js';
import { parseRule } from './rule-parser.js';

function rule(text: string): Rule {
  const result = parseRule(text, 'rollback');
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.rule;
}

describe('formatRule', () => {
  it.each([
    ['error_rate > 5% for 5m', 'error_rate > 5% for 5m: rollback'],
    ['latency > 3s for 10 requests', 'latency > 3s for 10 requests: rollback'],
    ['memory>90%   for 3m:warn', 'memory > 90% for 3m: warn'],
    ['db_connection_failures > 10', 'db_connection_failures > 10: rollback'],
    ['cpu ≥ 80 % for 90s', 'cpu >= 80% for 1m30s: rollback'],
    ['restarts(both) > 3 for 1 sample', 'restarts(both) > 3 for 1 sample: rollback'],
    ['error_rate > error_rate(stable) + 1%', 'error_rate(canary) > error_rate(stable) + 1%: rollback'],
    [
      'p95_latency(canary) > 1.2x p95_latency(stable) - 10ms for 2m: pause',
      'p95_latency(canary) > 1.2 × p95_latency(stable) - 10ms for 2m: pause',
    ],
  ])('writes "%s" as "%s"', (text, canonical) => {
    expect(formatRule(rule(text))).toBe(canonical);
  });

  it('writes rules that parse back to the same rule', () => {
    for (const text of [
      'error_rate(canary) > 1.5 × error_rate(stable) + 0.5% for 30s: warn',
      'memory < 512MiB',
      'latency > 1.5s for 3 requests',
    ]) {
      const parsed = rule(text);
      const again = rule(formatRule(parsed));
      expect({ ...again, text: '' }).toEqual({ ...parsed, text: '' });
    }
  });
});
