// bench/detection: how fast each judge rolls back a bad canary, and how often it rolls back a good one.
// A canary at 10% weight fails 5% of requests against a stable at 0.1%, at 50, 200 and 1,000 requests/s in
// total. Measured: time from the canary taking traffic to the rollback decision (median, p95) for
//   - the sequential judge:  { rule: "error_rate(canary) > 2 × error_rate(stable)", judge: sequential } (defaults:
//     false-rollback rate 0.1%, 100 requests minimum), evaluated every 250 ms as the watcher does;
//   - fixed-window threshold rules: "error_rate > 1% for 1m" and "error_rate > 1% for 10s", evaluated every second;
//   - a Flagger-style analysis (interval 1m, threshold 5 failed checks): interval × threshold, from its docs.
// Then ≥100 healthy trials per rate (same traffic, canary at 0.1% like the stable, 5 minutes each) count false
// rollbacks. SIMULATED: the traffic (Poisson arrivals per 100 ms, each request failing at random with its
// version's rate), served by a MetricSource that answers like gantry-proxy. REAL: the rule parser, the
// RuleEvaluator, the judges and the statistics, exactly as a deployment runs them.
//
//   npx tsx bench/detection.ts [--trials 100] [--healthy 100] [--quick]

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type AnalysisRule, withDefaults } from '../src/analysis/judged-rule.js';
import { RuleEvaluator } from '../src/analysis/rule-evaluator.js';
import { parseRule } from '../src/analysis/rule-parser.js';
import { seededRandom } from '../src/analysis/testing/random.js';
import { SimulatedTraffic } from '../src/analysis/testing/simulated-traffic.js';
import { metricSources } from '../src/metrics/metric-sources.js';
import { table } from './lib/table.js';

const RESULTS = fileURLToPath(new URL('./results/detection.json', import.meta.url));
const RATES = [50, 200, 1000];
const CANARY_SHARE = 0.1;
const FLAGGER = { intervalSec: 60, threshold: 5 };
const T0 = Date.UTC(2026, 0, 1);

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '100' },
    healthy: { type: 'string', default: '100' },
    quick: { type: 'boolean', default: false },
  },
});
const trials = values.quick ? 20 : Number(values.trials);
const healthyTrials = values.quick ? 20 : Math.max(100, Number(values.healthy));

interface Judge {
  name: string;
  rule: AnalysisRule;
  everyMs: number;
}

function rule(text: string, extra: Partial<AnalysisRule> = {}): AnalysisRule {
  const parsed = parseRule(text, 'rollback');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { ...withDefaults(parsed.rule), ...extra };
}

const JUDGES: Judge[] = [
  {
    name: 'sequential (defaults)',
    rule: rule('error_rate(canary) > 2 × error_rate(stable)', { judge: 'sequential' }),
    everyMs: 250,
  },
  { name: 'threshold > 1% for 1m', rule: rule('error_rate > 1% for 1m'), everyMs: 1000 },
  { name: 'threshold > 1% for 10s', rule: rule('error_rate > 1% for 10s'), everyMs: 1000 },
];

/** Seconds until the rule fails, or undefined when it did not within `horizonSec`. */
async function timeToRollback(
  judge: Judge,
  rps: number,
  canaryErrorRate: number,
  seed: number,
  horizonSec: number,
) {
  const traffic = new SimulatedTraffic(seededRandom(seed), {
    requestsPerSecond: rps,
    startMs: T0,
    versions: [
      {
        name: 'canary',
        share: () => CANARY_SHARE,
        errorRate: canaryErrorRate,
        medianLatencyMs: 50,
        latencyVaries: false,
      },
      {
        name: 'stable',
        share: () => 1 - CANARY_SHARE,
        errorRate: 0.001,
        medianLatencyMs: 50,
        latencyVaries: false,
      },
    ],
  });
  const evaluator = new RuleEvaluator(judge.rule, {
    sources: metricSources(traffic, undefined, []),
    versions: { canary: 'canary', stable: 'stable' },
  });
  for (let ms = judge.everyMs; ms <= horizonSec * 1000; ms += judge.everyMs) {
    const { verdict } = await evaluator.evaluate({
      nowMs: T0 + ms,
      observedSinceMs: T0,
      intervalMs: judge.everyMs,
    });
    if (verdict.outcome === 'fail') return ms / 1000;
  }
  return undefined;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

const rows: (string | number)[][] = [];
const results: Record<string, unknown>[] = [];
const started = Date.now();
for (const rps of RATES) {
  const flaggerSec = FLAGGER.intervalSec * FLAGGER.threshold;
  const byJudge: Record<string, number> = {};
  for (const judge of JUDGES) {
    const times: number[] = [];
    let missed = 0;
    for (let t = 0; t < trials; t++) {
      const seconds = await timeToRollback(judge, rps, 0.05, 1000 + t, 900);
      if (seconds === undefined) missed++;
      else times.push(seconds);
    }
    times.sort((a, b) => a - b);
    let falseRollbacks = 0;
    for (let t = 0; t < healthyTrials; t++) {
      if ((await timeToRollback(judge, rps, 0.001, 50_000 + t, 300)) !== undefined) falseRollbacks++;
    }
    const median = quantile(times, 0.5);
    byJudge[judge.name] = median;
    const row = {
      requestsPerSec: rps,
      judge: judge.name,
      medianSec: median,
      p95Sec: quantile(times, 0.95),
      notDetectedIn15m: missed,
      falseRollbacks,
      healthyTrials,
      fasterThanFlagger: Math.round((flaggerSec / median) * 10) / 10,
    };
    results.push(row);
    rows.push([
      rps,
      judge.name,
      median.toFixed(2),
      quantile(times, 0.95).toFixed(2),
      `${falseRollbacks}/${healthyTrials}`,
      `${row.fasterThanFlagger}×`,
    ]);
  }
  results.push({
    requestsPerSec: rps,
    judge: 'flagger 1m × 5 (formula)',
    medianSec: flaggerSec,
    p95Sec: flaggerSec,
  });
  rows.push([
    rps,
    `flagger ${FLAGGER.intervalSec}s × ${FLAGGER.threshold} (formula)`,
    flaggerSec.toFixed(2),
    flaggerSec.toFixed(2),
    'n/a',
    '1×',
  ]);
}

console.log(
  `detection: canary ${CANARY_SHARE * 100}% at 5% errors vs stable 0.1%; ${trials} bad and ${healthyTrials} healthy (5 min) trials per row\n`,
);
console.log(table(['req/s', 'judge', 'median s', 'p95 s', 'false rollbacks', 'vs Flagger'], rows));
console.log(
  `\n${((Date.now() - started) / 1000).toFixed(0)} s on ${cpus().length} cores (load ${loadavg()[0]?.toFixed(2)})`,
);
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(
  RESULTS,
  `${JSON.stringify({ at: new Date().toISOString(), trials, healthyTrials, canaryShare: CANARY_SHARE, flagger: FLAGGER, simulated: true, results }, null, 2)}\n`,
);
