// Evaluates a rule with the threshold judge: measures each side over the rule's window and compares.
// - `for 2m`: the value over the last 2 minutes of requests, once the version has been observed that long;
//   gauges (memory, cpu, Prometheus queries without {{window}}) must breach at every point of those 2 minutes;
// - `for 10 requests`: the last 10 requests (`latency`: each of them);
// - `for 3 samples`: 3 evaluations in a row;
// - no window: the time since the previous evaluation (Prometheus: its `window`).

import type {
  MetricQuery,
  MetricRole,
  MetricSource,
  MetricUnit,
  RequestSample,
} from '../metrics/metric-source.js';
import { formatDuration } from '../units/duration.js';
import type { EvaluationClock, EvaluationContext, RuleResult } from './evaluation.js';
import type { AnalysisRule } from './judged-rule.js';
import { sampleQuantile } from './quantile-bounds.js';
import { unitOfRule } from './quantities.js';
import type { MetricRef } from './rule.js';
import { sideName } from './sentences.js';
import { type JudgeFrame, judgeThreshold } from './threshold-judge.js';
import type { SideEvidence, Verdict } from './verdict.js';

type Side = { evidence: SideEvidence; error?: string };

const QUANTILE: Record<string, number> = { p50_latency: 0.5, p95_latency: 0.95, p99_latency: 0.99 };

export function defaultMinSamples(rule: AnalysisRule): number {
  if (rule.judge === 'sequential') return 100;
  if (rule.window.kind === 'requests') return rule.window.count;
  const q = QUANTILE[rule.metric.metric];
  return q === undefined ? 20 : Math.max(20, Math.ceil(1 / (1 - q)));
}

export async function evaluateThreshold(
  rule: AnalysisRule,
  context: EvaluationContext,
  clock: EvaluationClock,
  signal?: AbortSignal,
): Promise<RuleResult> {
  const unit = unitOfRule(rule);
  const frame = frameOf(rule, clock, unit, context);
  const right = rule.threshold.kind === 'metric' ? rule.threshold.ref : undefined;
  // A window reaching back before the version took traffic says nothing yet: it is not even asked for.
  const spanMs = windowMs(rule, clock, context);
  if (rule.window.kind !== 'requests' && clock.nowMs - spanMs < clock.observedSinceMs) {
    const unmeasured = (ref: MetricRef) => emptySide(ref, context);
    const verdict = judgeThreshold(rule, unmeasured(rule.metric), right && unmeasured(right), frame);
    return { verdict: notYetCovered(verdict, spanMs, clock) };
  }
  const measure = (ref: MetricRef) => measureSide(rule, ref, unit, frame, context, clock, signal);
  const [left, other] = await Promise.all([measure(rule.metric), right ? measure(right) : undefined]);
  const verdict = judgeThreshold(rule, left.evidence, other?.evidence, frame);
  const error = left.error ?? other?.error;
  if (error) {
    const explanation = `${sideName(left.evidence)}: ${error}`;
    return { verdict: { ...verdict, outcome: 'inconclusive', explanation }, error };
  }
  return { verdict };
}

function notYetCovered(verdict: Verdict, windowMs: number, clock: EvaluationClock): Verdict {
  const observed = formatDuration(Math.max(0, clock.nowMs - clock.observedSinceMs));
  return {
    ...verdict,
    outcome: 'inconclusive',
    explanation: `${sideName(verdict.evidence.left)}: observed for ${observed} of the ${formatDuration(windowMs)} window; no verdict yet`,
  };
}

function windowMs(rule: AnalysisRule, clock: EvaluationClock, context: EvaluationContext): number {
  if (rule.window.kind === 'duration') return rule.window.ms;
  const source = context.sources.sourceFor(rule.metric.metric);
  return source?.instantWindowMs ?? Math.max(1000, clock.intervalMs);
}

function frameOf(
  rule: AnalysisRule,
  clock: EvaluationClock,
  unit: MetricUnit,
  context: EvaluationContext,
): JudgeFrame {
  const minSamples = rule.minSamples ?? defaultMinSamples(rule);
  const base = { unit, untilMs: clock.nowMs, minSamples };
  switch (rule.window.kind) {
    case 'requests':
      return {
        ...base,
        window: `the last ${rule.window.count} requests`,
        timed: false,
        sinceMs: clock.observedSinceMs,
      };
    case 'duration':
      return {
        ...base,
        window: formatDuration(rule.window.ms),
        timed: true,
        sinceMs: clock.nowMs - rule.window.ms,
      };
    default: {
      const ms = windowMs(rule, clock, context);
      return { ...base, window: formatDuration(ms), timed: true, sinceMs: clock.nowMs - ms };
    }
  }
}

function emptySide(ref: MetricRef, context: EvaluationContext): SideEvidence {
  const role: MetricRole = ref.role === 'stable' ? 'stable' : 'canary';
  const version = role === 'stable' ? context.versions.stable : context.versions.canary;
  const name = version ?? '(no previous version)';
  return {
    metric: ref.metric,
    role,
    version: name,
    value: null,
    samples: null,
    sampleWord: 'requests',
    query: '',
  };
}

async function measureSide(
  rule: AnalysisRule,
  ref: MetricRef,
  unit: MetricUnit,
  frame: JudgeFrame,
  context: EvaluationContext,
  clock: EvaluationClock,
  signal?: AbortSignal,
): Promise<Side> {
  const evidence = emptySide(ref, context);
  const version = evidence.role === 'stable' ? context.versions.stable : context.versions.canary;
  const source = context.sources.sourceFor(ref.metric);
  const role = evidence.role;
  if (!version) return { evidence };
  if (!source) return { evidence, error: `no source for ${ref.metric}` };
  if (rule.window.kind === 'requests') return lastRequests(rule, source, evidence, version, clock, signal);
  const query: MetricQuery = {
    metric: ref.metric,
    role,
    version,
    unit,
    sinceMs: frame.sinceMs,
    untilMs: frame.untilMs,
  };
  const gauge = source.shapeOf(ref.metric) === 'gauge';
  if (gauge && rule.window.kind === 'duration') return gaugeSeries(rule, source, query, evidence, signal);
  const measured = await source.value(query, signal);
  evidence.query = measured.query;
  if (measured.phase !== 'ok') return { evidence, error: measured.message };
  evidence.value = measured.value;
  evidence.samples = requestCounted(ref.metric, gauge) ? (measured.requests ?? null) : null;
  if (ref.metric === 'memory_growth') evidence.sampleWord = 'samples'; // a trend of memory samples
  return { evidence };
}

/** Only values computed from requests need a minimum of them; request_rate and counts are meaningful at zero. */
function requestCounted(metric: string, gauge: boolean): boolean {
  return !gauge && metric !== 'request_rate' && metric !== 'restarts' && metric !== 'errors';
}

/** A gauge over a window: the point that breaches least (for `>`, the lowest) stands for all of them. */
async function gaugeSeries(
  rule: AnalysisRule,
  source: MetricSource,
  query: MetricQuery,
  evidence: SideEvidence,
  signal?: AbortSignal,
): Promise<Side> {
  const series = await source.series(query, signal);
  evidence.query = series.query;
  evidence.sampleWord = 'samples';
  if (series.phase !== 'ok') return { evidence, error: series.message };
  const values = series.points.map((point) => point.value);
  evidence.samples = values.length;
  if (values.length === 0) return { evidence, error: 'no samples in the window' };
  const low = rule.operator === '>' || rule.operator === '>=';
  evidence.value = low
    ? Math.min(...values)
    : rule.operator === '==' || rule.operator === '!='
      ? (values.at(-1) as number)
      : Math.max(...values);
  return { evidence };
}

async function lastRequests(
  rule: AnalysisRule,
  source: MetricSource,
  evidence: SideEvidence,
  version: string,
  clock: EvaluationClock,
  signal?: AbortSignal,
): Promise<Side> {
  if (!source.lastRequests || rule.window.kind !== 'requests') {
    return { evidence, error: `${source.kind} metrics have no single requests` };
  }
  const batch = await source.lastRequests(
    version,
    rule.window.count,
    clock.observedSinceMs,
    clock.nowMs,
    signal,
  );
  evidence.query = batch.query;
  if (batch.phase === 'error') return { evidence, error: batch.message };
  evidence.samples = batch.requests.length;
  evidence.value = overRequests(
    evidence.metric,
    batch.requests,
    rule.operator === '<' || rule.operator === '<=',
  );
  return { evidence };
}

/** A metric over single requests; `latency` must hold for each, so the least breaching one stands for all. */
function overRequests(metric: string, requests: readonly RequestSample[], below: boolean): number | null {
  if (requests.length === 0) return null;
  const latencies = requests.map((r) => r.latencyMs).sort((a, b) => a - b);
  switch (metric) {
    case 'error_rate':
      return requests.filter((r) => r.status >= 500).length / requests.length;
    case 'latency':
      return below ? (latencies.at(-1) as number) : (latencies[0] as number);
    case 'request_rate': {
      const spanMs = (requests.at(-1)?.tMs ?? 0) - (requests[0]?.tMs ?? 0);
      return spanMs > 0 ? (requests.length * 1000) / spanMs : null;
    }
    default: {
      const q = QUANTILE[metric];
      return q === undefined ? null : sampleQuantile(latencies, q);
    }
  }
}
