import { describe, expect, it } from 'vitest';
import type { Measurement, MetricSource } from '../metrics/metric-source.js';
import { metricSources } from '../metrics/metric-sources.js';
import { finalDecision, immediateDecisions } from './decision.js';
import type { EvaluationContext } from './evaluation.js';
import { type AnalysisRule, withDefaults } from './judged-rule.js';
import { RuleEvaluator } from './rule-evaluator.js';
import { parseRule } from './rule-parser.js';
import { seededRandom } from './testing/random.js';
import { SimulatedTraffic } from './testing/simulated-traffic.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function rule(text: string, extra: Partial<AnalysisRule> = {}): AnalysisRule {
  const parsed = parseRule(text, 'rollback');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { ...withDefaults(parsed.rule), ...extra };
}

function traffic(canaryErrorRate: number, options: { rps?: number; canaryMs?: number; seed?: number } = {}) {
  return new SimulatedTraffic(seededRandom(options.seed ?? 1), {
    requestsPerSecond: options.rps ?? 500,
    startMs: T0,
    versions: [
      { name: 'v3', share: () => 0.1, errorRate: canaryErrorRate, medianLatencyMs: options.canaryMs ?? 50 },
      { name: 'v2', share: () => 0.9, errorRate: 0.001, medianLatencyMs: 50 },
    ],
  });
}

function context(source: MetricSource): EvaluationContext {
  return { sources: metricSources(source, undefined, []), versions: { canary: 'v3', stable: 'v2' } };
}

const clock = (seconds: number) => ({ nowMs: T0 + seconds * 1000, observedSinceMs: T0, intervalMs: 250 });

describe('the threshold judge over a window of time', () => {
  it('says in plain words that the canary failed, with the value, the threshold, the window and the requests', async () => {
    const evaluator = new RuleEvaluator(rule('error_rate > 5% for 2s'), context(traffic(0.2)));
    const { verdict } = await evaluator.evaluate(clock(2.1));
    expect(verdict.outcome).toBe('fail');
    expect(verdict.explanation).toMatch(/^error_rate of v3 was \d+(\.\d)?% > 5% for 2s over \d+ requests$/);
    expect(verdict.evidence.left.samples).toBeGreaterThan(80);
  });

  it('gives no verdict before the version has been observed for the whole window', async () => {
    const evaluator = new RuleEvaluator(rule('error_rate > 5% for 2s'), context(traffic(0.2)));
    const { verdict } = await evaluator.evaluate(clock(1.5));
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.explanation).toBe('error_rate of v3: observed for 1.5s of the 2s window; no verdict yet');
  });

  it('is inconclusive, never a pass, when too few requests reached the version', async () => {
    const evaluator = new RuleEvaluator(rule('error_rate > 5% for 2s'), context(traffic(0, { rps: 50 })));
    const { verdict } = await evaluator.evaluate(clock(2.5));
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.explanation).toMatch(
      /^error_rate of v3: only \d+ requests in the last 2s, 20 needed for a verdict$/,
    );
  });

  it('passes a healthy canary and says by how much', async () => {
    const evaluator = new RuleEvaluator(rule('error_rate > 5% for 2s'), context(traffic(0)));
    const { verdict } = await evaluator.evaluate(clock(3));
    expect(verdict.outcome).toBe('pass');
    expect(verdict.explanation).toMatch(
      /^error_rate of v3 was 0%, not > 5%, in the last 2s over \d+ requests$/,
    );
  });

  it('compares the canary with the stable version scaled and offset', async () => {
    const slow = traffic(0, { canaryMs: 150 });
    const evaluator = new RuleEvaluator(
      rule('p95_latency(canary) > 1.2 × p95_latency(stable) + 10ms for 5s'),
      context(slow),
    );
    const { verdict } = await evaluator.evaluate(clock(6));
    expect(verdict.outcome).toBe('fail');
    expect(verdict.explanation).toMatch(
      /^p95_latency of v3 was \d+(\.\d+)?ms > 1\.2 × p95_latency of v2 \(\d+(\.\d+)?ms\) \+ 10ms = \d+(\.\d+)?ms for 5s over \d+ and [\d,]+ requests$/,
    );
  });
});

describe('the threshold judge over requests and measurements', () => {
  it('fails latency > 3s for 10 requests only when each of the last 10 requests took longer', async () => {
    const evaluator = new RuleEvaluator(
      rule('latency > 3s for 10 requests'),
      context(traffic(0, { canaryMs: 5000 })),
    );
    expect((await evaluator.evaluate(clock(2))).verdict.outcome).toBe('fail');
    const healthy = new RuleEvaluator(
      rule('latency > 3s for 10 requests'),
      context(traffic(0, { canaryMs: 50 })),
    );
    expect((await healthy.evaluate(clock(2))).verdict.outcome).toBe('pass');
  });

  it('needs N failing measurements in a row for "for N samples"', async () => {
    const evaluator = new RuleEvaluator(rule('error_rate > 5% for 3 samples'), context(traffic(0.3)));
    const outcomes = [];
    for (const s of [1, 2, 3]) outcomes.push((await evaluator.evaluate(clock(s))).verdict);
    expect(outcomes.map((v) => v.outcome)).toEqual(['pass', 'pass', 'fail']);
    expect(outcomes[0]?.explanation).toMatch(/\(1 of 3 measurements in a row; not yet failing\)$/);
    expect(outcomes[2]?.explanation).toMatch(/\(3 of 3 measurements in a row\)$/);
  });

  it('judges (both) versions and fails when either one breaches', async () => {
    const evaluator = new RuleEvaluator(rule('error_rate(both) > 5% for 2s'), context(traffic(0.2)));
    const { verdict } = await evaluator.evaluate(clock(3));
    expect(verdict.outcome).toBe('fail');
    expect(verdict.evidence.left.version).toBe('v3');
  });
});

describe('measurement errors', () => {
  const broken: MetricSource = {
    kind: 'prometheus',
    shapeOf: () => 'window',
    value: async (q): Promise<Measurement> => ({
      ...q,
      query: 'sum(rate(x[1m]))',
      phase: 'error',
      message: 'Prometheus at http://127.0.0.1:9 unreachable: ECONNREFUSED',
    }),
    series: async (q) => ({ ...q, query: 'x', phase: 'error', message: 'unreachable' }),
  };

  it('turns errors in a row into an inconclusive decision that pauses, never a pass or a rollback', async () => {
    const ctx: EvaluationContext = {
      sources: metricSources(undefined, broken, ['error_rate']),
      versions: { canary: 'v3', stable: 'v2' },
    };
    const evaluator = new RuleEvaluator(rule('error_rate > 5% for 1m'), ctx);
    const outcomes = [];
    for (const s of [60, 61, 62]) outcomes.push(await evaluator.evaluate(clock(s)));
    expect(outcomes.map((o) => o.verdict.outcome)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
    expect(immediateDecisions(outcomes.slice(0, 2).slice(-1), 3)).toEqual([]);
    const [decision] = immediateDecisions(outcomes.slice(-1), 3);
    expect(decision?.tier).toBe('inconclusive');
    expect(decision?.explanation).toBe(
      'error_rate > 5% for 1m could not be evaluated 3 times in a row (Prometheus at http://127.0.0.1:9 unreachable: ECONNREFUSED); pausing for a person to decide',
    );
    expect(finalDecision(outcomes.slice(-1), '2m').tier).toBe('inconclusive');
  });
});

describe('the end of an analysis', () => {
  it('passes with a warn rule still failing, naming it, and stays inconclusive when a blocking rule is open', async () => {
    const source = traffic(0.02);
    const warn = new RuleEvaluator(rule('error_rate > 1% for 1m: warn'), context(source));
    const guard = new RuleEvaluator(rule('error_rate > 5% for 1m'), context(source));
    const outcomes = [await warn.evaluate(clock(90)), await guard.evaluate(clock(90))];
    expect(outcomes.map((o) => o.verdict.outcome)).toEqual(['fail', 'pass']);
    const final = finalDecision(outcomes, '90s');
    expect(final.tier).toBe('pass');
    expect(final.explanation).toMatch(
      /^1 rule passed after 90s: .*; still warning: error_rate of v3 was [\d.]+% > 1% for 1m/,
    );

    const blocking = new RuleEvaluator(rule('error_rate > 1% for 1m: pause'), context(source));
    const withBlocking = [...outcomes, await blocking.evaluate(clock(90))];
    expect(finalDecision(withBlocking, '90s').tier).toBe('inconclusive');
  });
});

describe('the sequential judge', () => {
  it('rolls back a canary failing 5% against a stable at 0.1% within seconds at 1,000 requests/s', async () => {
    const source = traffic(0.05, { rps: 1000, seed: 4 });
    const evaluator = new RuleEvaluator(
      rule('error_rate(canary) > 2 × error_rate(stable)', { judge: 'sequential' }),
      context(source),
    );
    let seconds = 0;
    let outcome = await evaluator.evaluate(clock(0));
    while (outcome.verdict.outcome !== 'fail' && seconds < 30) {
      seconds += 0.25;
      outcome = await evaluator.evaluate(clock(seconds));
    }
    expect(seconds).toBeLessThan(5);
    expect(outcome.verdict.explanation).toMatch(
      /^error_rate of v3 is above 2 × error_rate of v2 \([\d.]+%\) with 99\.9% confidence: \d+ errors in \d+ requests \([\d.]+%\) against \d+ in [\d,]+ of v2 \([\d.]+%\) since 12:00:00 UTC \(sequential error-ratio test, false-rollback rate 0\.1%\)$/,
    );
  });

  it('waits for the minimum sample before deciding', async () => {
    const evaluator = new RuleEvaluator(
      rule('error_rate > 1%', { judge: 'sequential', minSamples: 500 }),
      context(traffic(0.5, { rps: 500 })),
    );
    const { verdict } = await evaluator.evaluate(clock(3));
    expect(verdict.outcome).toBe('inconclusive');
    expect(verdict.explanation).toMatch(
      /^error_rate of v3: only \d+ requests since 12:00:00 UTC, 500 needed before the sequential test may decide$/,
    );
  });

  it('finds a canary twice as slow with the Mann-Whitney test, and passes one that is not', async () => {
    const slow = new RuleEvaluator(
      rule('latency(canary) > latency(stable)', { judge: 'sequential' }),
      context(traffic(0, { canaryMs: 100 })),
    );
    expect((await slow.evaluate(clock(10))).verdict.outcome).toBe('fail');
    const same = new RuleEvaluator(
      rule('latency(canary) > 1.5 × latency(stable)', { judge: 'sequential' }),
      context(traffic(0, { canaryMs: 50 })),
    );
    const { verdict } = await same.evaluate(clock(10));
    expect(verdict.outcome).toBe('pass');
    expect(verdict.explanation).toMatch(/Mann-Whitney test, P\(slower\) [\d.]+%/);
  });

  it('bounds the p95 of the canary against a fixed limit', async () => {
    const evaluator = new RuleEvaluator(
      rule('p95_latency > 200ms', { judge: 'sequential' }),
      context(traffic(0, { canaryMs: 400 })),
    );
    const { verdict } = await evaluator.evaluate(clock(10));
    expect(verdict.outcome).toBe('fail');
    expect(verdict.explanation).toMatch(
      /^p95_latency of v3 is above 200ms with 99\.9% confidence: p95 [\d.]+ms over \d+ requests since/,
    );
  });
});
