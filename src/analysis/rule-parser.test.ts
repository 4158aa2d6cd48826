import { describe, expect, it } from 'vitest';
import type { Rule, RuleSyntaxError } from './rule.js';
import { parseRule } from './rule-parser.js';

function rule(text: string): Rule {
  const result = parseRule(text, 'rollback');
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.rule;
}

function failure(text: string): RuleSyntaxError & { spanned: string } {
  const result = parseRule(text, 'rollback');
  if (result.ok) throw new Error(`${text} parsed, expected an error`);
  const { offset, length } = result.error;
  return { ...result.error, spanned: text.slice(offset, offset + length) };
}

describe('parseRule: the examples in DESIGN.md and the runbooks', () => {
  it.each([
    [
      'error_rate > 0.5% for 1m: warn',
      'error_rate',
      '>',
      { value: 0.5, unit: '%' },
      { kind: 'duration', ms: 60_000 },
      'warn',
    ],
    [
      'error_rate > 1% for 1m: rollback',
      'error_rate',
      '>',
      { value: 1, unit: '%' },
      { kind: 'duration', ms: 60_000 },
      'rollback',
    ],
    [
      'p95_latency > 500ms for 1m: rollback',
      'p95_latency',
      '>',
      { value: 500, unit: 'ms' },
      { kind: 'duration', ms: 60_000 },
      'rollback',
    ],
    [
      'error_rate > 5% for 5m',
      'error_rate',
      '>',
      { value: 5, unit: '%' },
      { kind: 'duration', ms: 300_000 },
      'rollback',
    ],
    [
      'latency > 3s for 10 requests',
      'latency',
      '>',
      { value: 3, unit: 's' },
      { kind: 'requests', count: 10 },
      'rollback',
    ],
    [
      'memory > 90% for 3m',
      'memory',
      '>',
      { value: 90, unit: '%' },
      { kind: 'duration', ms: 180_000 },
      'rollback',
    ],
    [
      'db_connection_failures > 10',
      'db_connection_failures',
      '>',
      { value: 10, unit: null },
      { kind: 'instant' },
      'rollback',
    ],
    ['restarts > 3', 'restarts', '>', { value: 3, unit: null }, { kind: 'instant' }, 'rollback'],
    [
      'p95_latency > 3s for 10 requests',
      'p95_latency',
      '>',
      { value: 3, unit: 's' },
      { kind: 'requests', count: 10 },
      'rollback',
    ],
    [
      'error_rate > 0.1% for 2m: pause',
      'error_rate',
      '>',
      { value: 0.1, unit: '%' },
      { kind: 'duration', ms: 120_000 },
      'pause',
    ],
    [
      'p95_latency > 300ms for 5m',
      'p95_latency',
      '>',
      { value: 300, unit: 'ms' },
      { kind: 'duration', ms: 300_000 },
      'rollback',
    ],
    [
      'memory >= 512MiB for 20 samples',
      'memory',
      '>=',
      { value: 512, unit: 'MiB' },
      { kind: 'samples', count: 20 },
      'rollback',
    ],
    [
      'cpu <= 80% for 1h30m: warn',
      'cpu',
      '<=',
      { value: 80, unit: '%' },
      { kind: 'duration', ms: 5_400_000 },
      'warn',
    ],
  ])('reads "%s"', (text, metric, operator, quantity, window, tier) => {
    expect(rule(text)).toEqual({
      text,
      metric: { metric, role: 'canary' },
      operator,
      threshold: { kind: 'quantity', quantity },
      window,
      tier,
    });
  });

  it('gives a rule without a tier the default tier of its list', () => {
    const result = parseRule('error_rate > 1%', 'warn');
    expect(result.ok && result.rule.tier).toBe('warn');
  });
});

describe('parseRule: comparing the canary with the stable version', () => {
  it('reads an offset comparison', () => {
    expect(rule('error_rate(canary) > error_rate(stable) + 1%').threshold).toEqual({
      kind: 'metric',
      ref: { metric: 'error_rate', role: 'stable' },
      scale: 1,
      offset: { value: 1, unit: '%' },
    });
  });

  it('reads a scaled comparison written with ×, * or x', () => {
    for (const text of [
      'p95_latency(canary) > 1.2 × p95_latency(stable)',
      'p95_latency(canary) > 1.2 * p95_latency(stable)',
      'p95_latency(canary) > 1.2x p95_latency(stable)',
    ]) {
      expect(rule(text).threshold).toEqual({
        kind: 'metric',
        ref: { metric: 'p95_latency', role: 'stable' },
        scale: 1.2,
        offset: null,
      });
    }
  });

  it('reads a negative offset, a window and a tier after a comparison', () => {
    const parsed = rule('p95_latency(canary) > 1.5 × p95_latency(stable) - 10ms for 2m: pause');
    expect(parsed.threshold).toEqual({
      kind: 'metric',
      ref: { metric: 'p95_latency', role: 'stable' },
      scale: 1.5,
      offset: { value: -10, unit: 'ms' },
    });
    expect(parsed.window).toEqual({ kind: 'duration', ms: 120_000 });
    expect(parsed.tier).toBe('pause');
  });

  it('reads the both role', () => {
    expect(rule('restarts(both) > 3').metric).toEqual({ metric: 'restarts', role: 'both' });
  });

  it('accepts units written apart from the number and unicode operators', () => {
    expect(rule('error_rate ≥ 5 % for 5 m').threshold).toEqual({
      kind: 'quantity',
      quantity: { value: 5, unit: '%' },
    });
    expect(rule('error_rate ≥ 5 % for 5 m').window).toEqual({ kind: 'duration', ms: 300_000 });
    expect(rule('latency > 500 ms').threshold).toEqual({
      kind: 'quantity',
      quantity: { value: 500, unit: 'ms' },
    });
  });

  it('accepts a metric it does not know when it is not a near miss of a builtin one', () => {
    expect(rule('http_requests_in_flight > 200').metric.metric).toBe('http_requests_in_flight');
  });
});

describe('parseRule: errors say what was expected and point at it', () => {
  it.each([
    ['error_rate 5%', "expected an operator (>, >=, <, <=) after error_rate, got '5%'", '5%'],
    ['error_rate', 'expected an operator (>, >=, <, <=) after error_rate', ''],
    ['error_rate = 5%', "unexpected character '='", '='],
    ['error_rate > 5% for 5sec', "unknown unit 'sec'; use ms, s, m or h (did you mean '5s'?)", 'sec'],
    [
      'error_rate > 5% for 5 minutes',
      "unknown unit 'minutes'; use ms, s, m or h (did you mean '5m'?)",
      'minutes',
    ],
    [
      'error_rate > 5% for 5: warn',
      "expected a duration such as 5m, or a count such as 10 requests, after 'for'",
      ':',
    ],
    [
      'error_rate > 5% for five minutes',
      "expected a duration such as 5m, or a count such as 10 requests, after 'for'",
      'five',
    ],
    [
      'error_rate > 5% for 0s',
      'the window must be longer than 0; leave out "for …" to judge each measurement alone',
      'for 0s',
    ],
    ['latency > 3s for 2.5 requests', 'the requests count must be a whole number above 0', '2.5'],
    ['error_rate > 1% for 1m: rolback', "unknown tier 'rolback'; did you mean 'rollback'?", 'rolback'],
    ['error_rate > 1% for 1m: panic', "unknown tier 'panic'; use warn, pause, reduce or rollback", 'panic'],
    ['error_rate > 1% for 1m:', "expected a tier (warn, pause, reduce or rollback) after ':'", ''],
    ['error_rate > 1% for 1m: warn now', "unexpected 'now' after the tier; the tier ends the rule", 'now'],
    [
      'error_rate > 1% fro 1m',
      "unexpected 'fro'; expected 'for …', ': tier' or the end of the rule (did you mean 'for'?)",
      'fro',
    ],
    ['error_rate > 1% for 1m extra', "unexpected 'extra'; expected ': tier' or the end of the rule", 'extra'],
    [
      'error_rate(canry) > 1%',
      "unknown role 'canry'; use canary, stable or both (did you mean 'canary'?)",
      'canry',
    ],
    ['error_rate(stable > 1%', "expected ')' after error_rate(stable", '>'],
    [
      'error_rate >',
      "expected a value such as 1%, 500ms or 3, or a metric such as error_rate(stable), after '>'",
      '',
    ],
    ['eror_rate > 1%', "unknown metric 'eror_rate'; did you mean 'error_rate'?", 'eror_rate'],
    ['p95_latncy > 1s', "unknown metric 'p95_latncy'; did you mean 'p95_latency'?", 'p95_latncy'],
    ['5% > error_rate', "expected a metric name such as error_rate at the start of the rule, got '5%'", '5%'],
    ['memory > 90pct', "unknown unit 'pct'; use %, ms, s, m, h, B, KiB, MiB or GiB", 'pct'],
    [
      'memory > 512MB',
      "unknown unit 'MB'; use %, ms, s, m, h, B, KiB, MiB or GiB (did you mean '512MiB'?)",
      'MB',
    ],
    ['p95_latency > 500', "p95_latency needs a time such as 500ms or 3s, got '500'", '500'],
    ['error_rate > 3s', "error_rate needs a percentage such as 1%, got '3s'", '3s'],
    [
      'error_rate(canary) > error_rate(stable) + 2ms',
      "error_rate needs a percentage such as 1%, got '2ms'",
      'error_rate(stable) + 2ms',
    ],
    [
      'error_rate > error_rate',
      'the rule compares error_rate(canary) with itself; name the other version, such as error_rate(stable)',
      'error_rate',
    ],
    ['error_rate > 1% + 2%', "unexpected '+'; expected 'for …', ': tier' or the end of the rule", '+'],
    [
      'error_rate > 1.2 × 5%',
      "expected a metric such as p95_latency(stable) after the scale, got '5%'",
      '5%',
    ],
    ['error_rate > 1% ; rollback', "unexpected character ';'", ';'],
  ])('rejects "%s"', (text, message, spanned) => {
    const error = failure(text);
    expect(error.message).toBe(message);
    expect(error.spanned).toBe(spanned);
  });

  it('rejects an empty rule with an example', () => {
    expect(failure('   ').message).toBe('the rule is empty; write one such as "error_rate > 1% for 5m"');
  });

  it('does not take an unrelated short name for a typo of a builtin metric', () => {
    expect(rule('rps > 100').metric.metric).toBe('rps');
  });

  it('takes names from knownMetrics as known even when they are near a builtin', () => {
    const result = parseRule('p90_latency > 1s', 'rollback', { knownMetrics: ['p90_latency'] });
    expect(result.ok).toBe(true);
  });
});
