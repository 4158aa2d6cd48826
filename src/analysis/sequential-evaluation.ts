// Evaluates a rule with a sequential judge. It gathers every request of each version since the version
// took traffic — single requests from gantry-proxy (kept between evaluations and read on incrementally), or
// per-step counts from Prometheus (`requests` query) — and hands them to the rate or latency judge.

import type { MetricRole, MetricSource } from '../metrics/metric-source.js';
import type { EvaluationClock, EvaluationContext, RuleResult } from './evaluation.js';
import type { AnalysisRule } from './judged-rule.js';
import type { PairedCounts } from './ratio-test.js';
import { RequestHistory } from './request-history.js';
import { sideName } from './sentences.js';
import { judgeSequentialLatency } from './sequential-latency-judge.js';
import { judgeSequentialRate, type RateData } from './sequential-rate-judge.js';
import { defaultMinSamples } from './threshold-evaluation.js';
import type { JudgeFrame } from './threshold-judge.js';
import type { SideEvidence } from './verdict.js';

type Counts = {
  requests: number;
  errors: number;
  perBucket: Map<number, { requests: number; errors: number }>;
  query: string;
};

export class SequentialEvaluation {
  private readonly histories = new Map<string, RequestHistory>();

  constructor(
    private readonly rule: AnalysisRule,
    private readonly context: EvaluationContext,
  ) {}

  async evaluate(clock: EvaluationClock, signal?: AbortSignal): Promise<RuleResult> {
    const { rule } = this;
    const sides = this.sides();
    const frame: JudgeFrame = {
      unit: rule.metric.metric === 'error_rate' ? 'ratio' : 'ms',
      window: `since ${new Date(clock.observedSinceMs).toISOString().slice(11, 19)} UTC`,
      timed: false,
      sinceMs: clock.observedSinceMs,
      untilMs: clock.nowMs,
      minSamples: rule.minSamples ?? defaultMinSamples(rule),
    };
    const missing = sides.find((side) => side.version === null);
    const source = this.context.sources.sourceFor(rule.metric.metric);
    if (missing || !source) {
      const evidence = emptySide(sides[0]?.role ?? 'canary', rule.metric.metric, sides[0]?.version ?? null);
      const why = missing
        ? 'there is no previous version to compare with'
        : `no source for ${rule.metric.metric}`;
      const judged = judgeSequentialRate(rule, { left: { ...evidence, errors: 0 } }, frame);
      return {
        verdict: { ...judged, outcome: 'inconclusive', explanation: `${sideName(evidence)}: ${why}` },
      };
    }
    if (rule.metric.metric === 'error_rate')
      return this.rates(source, sides as VersionSide[], clock, frame, signal);
    return this.latencies(source, sides as VersionSide[], clock, frame, signal);
  }

  private sides(): Array<{ role: MetricRole; version: string | null }> {
    const { rule, context } = this;
    const versionOf = (role: string) =>
      role === 'stable' ? context.versions.stable : context.versions.canary;
    const left = rule.metric.role === 'stable' ? 'stable' : 'canary';
    const sides: Array<{ role: MetricRole; version: string | null }> = [
      { role: left, version: versionOf(left) },
    ];
    if (rule.threshold.kind === 'metric') {
      const right = rule.threshold.ref.role === 'stable' ? 'stable' : 'canary';
      sides.push({ role: right, version: versionOf(right) });
    }
    return sides;
  }

  private async rates(
    source: MetricSource,
    sides: VersionSide[],
    clock: EvaluationClock,
    frame: JudgeFrame,
    signal?: AbortSignal,
  ): Promise<RuleResult> {
    const counted = await Promise.all(sides.map((side) => this.counts(source, side, clock, signal)));
    const failed = counted.find((c): c is { error: string; query: string } => 'error' in c);
    const evidence = counted.map((c, i) => {
      const side = sides[i] as VersionSide;
      const base = emptySide(side.role, this.rule.metric.metric, side.version);
      if ('error' in c) return { ...base, query: c.query, errors: 0 };
      return {
        ...base,
        query: c.query,
        value: c.requests > 0 ? c.errors / c.requests : null,
        samples: c.requests,
        errors: c.errors,
      };
    });
    const data: RateData = {
      left: evidence[0] as RateData['left'],
      ...(evidence[1] ? { right: evidence[1] } : {}),
    };
    const [left, right] = counted;
    if (left && right && !('error' in left) && !('error' in right)) data.buckets = paired(left, right);
    const verdict = judgeSequentialRate(this.rule, data, frame);
    if (failed)
      return {
        verdict: {
          ...verdict,
          outcome: 'inconclusive',
          explanation: `${sideName(data.left)}: ${failed.error}`,
        },
        error: failed.error,
      };
    return { verdict };
  }

  private async counts(
    source: MetricSource,
    side: VersionSide,
    clock: EvaluationClock,
    signal?: AbortSignal,
  ): Promise<Counts | { error: string; query: string }> {
    if (source.requests) {
      const history = this.history(source, side.version, clock);
      const error = await history.update(clock.nowMs, signal);
      if (error) return { error, query: history.query };
      return {
        requests: history.requests,
        errors: history.errors,
        perBucket: history.perSecond,
        query: history.query,
      };
    }
    const series = await source.series(
      {
        metric: 'error_rate',
        role: side.role,
        version: side.version,
        unit: 'ratio',
        sinceMs: clock.observedSinceMs,
        untilMs: clock.nowMs,
      },
      signal,
    );
    if (series.phase !== 'ok') return { error: series.message, query: series.query };
    const perBucket = new Map<number, { requests: number; errors: number }>();
    let requests = 0;
    let errors = 0;
    for (const point of series.points) {
      const n = point.requests ?? 0;
      const e = Math.round(point.value * n);
      perBucket.set(point.tMs, { requests: n, errors: e });
      requests += n;
      errors += e;
    }
    return { requests, errors, perBucket, query: series.query };
  }

  private async latencies(
    source: MetricSource,
    sides: VersionSide[],
    clock: EvaluationClock,
    frame: JudgeFrame,
    signal?: AbortSignal,
  ): Promise<RuleResult> {
    const histories = sides.map((side) => this.history(source, side.version, clock));
    const errors = await Promise.all(histories.map((history) => history.update(clock.nowMs, signal)));
    const data = histories.map((history, i) => {
      const side = sides[i] as VersionSide;
      const sorted = history.latencies.sorted();
      return {
        ...emptySide(side.role, this.rule.metric.metric, side.version),
        query: history.query,
        samples: sorted.length,
        sorted,
      };
    });
    const verdict = judgeSequentialLatency(
      this.rule,
      { left: data[0] as (typeof data)[0], ...(data[1] ? { right: data[1] } : {}) },
      frame,
    );
    const error = errors.find((e) => e !== undefined);
    if (error)
      return {
        verdict: {
          ...verdict,
          outcome: 'inconclusive',
          explanation: `${sideName(verdict.evidence.left)}: ${error}`,
        },
        error,
      };
    return { verdict };
  }

  /** The history of a version, started at the observation start (a new one when that moved). */
  private history(source: MetricSource, version: string, clock: EvaluationClock): RequestHistory {
    const key = `${version}@${clock.observedSinceMs}`;
    let history = this.histories.get(key);
    if (!history) {
      history = new RequestHistory(source, version, clock.observedSinceMs);
      this.histories.set(key, history);
    }
    return history;
  }
}

type VersionSide = { role: MetricRole; version: string };

function emptySide(role: MetricRole, metric: string, version: string | null): SideEvidence {
  return {
    metric,
    role,
    version: version ?? '(no previous version)',
    value: null,
    samples: null,
    sampleWord: 'requests',
    query: '',
  };
}

/** Both versions' counts in the buckets either of them has. */
function paired(left: Counts, right: Counts): PairedCounts[] {
  const keys = new Set([...left.perBucket.keys(), ...right.perBucket.keys()]);
  return [...keys].map((key) => {
    const l = left.perBucket.get(key) ?? { requests: 0, errors: 0 };
    const r = right.perBucket.get(key) ?? { requests: 0, errors: 0 };
    return {
      canaryRequests: l.requests,
      canaryErrors: l.errors,
      stableRequests: r.requests,
      stableErrors: r.errors,
    };
  });
}
