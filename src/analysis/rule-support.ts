// Whether a plan can evaluate a rule: each metric must come from somewhere (gantry-proxy for builtin names
// on a plan with a target, Prometheus for declared ones), the window must suit the metric and the source,
// and the sequential judge must have a test for the rule. Problems point into the rule text.

import { nearest } from '../plan/suggest.js';
import type { AnalysisRule } from './judged-rule.js';
import { BUILTIN_METRIC_NAMES, isBuiltinMetric } from './metrics-catalogue.js';

export interface MetricContext {
  /** The plan has a local target, so gantry-proxy's statistics exist. */
  hasTarget: boolean;
  /** Why a builtin metric is not measured by the plan's target (command, nginx), or undefined when it is. */
  builtinUnavailable?: (metric: string) => string | undefined;
  /** Metrics declared under analysis.prometheus.metrics, with whether they declare `requests`. */
  prometheus: ReadonlyMap<string, { requests: boolean }>;
}

export interface RuleProblem {
  message: string;
  offset: number;
  length: number;
}

/** The most requests the proxy keeps per version, so the longest `for N requests` window. */
export const MAX_REQUEST_WINDOW = 10_000;

const SEQUENTIAL_BUILTIN = new Set(['error_rate', 'p50_latency', 'p95_latency', 'p99_latency', 'latency']);

export function ruleProblems(rule: AnalysisRule, context: MetricContext): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const at = (message: string, word?: string, from = 0) => {
    const offset = word === undefined ? 0 : Math.max(0, rule.text.indexOf(word, from));
    problems.push({ message, offset, length: word === undefined ? rule.text.length : word.length });
  };
  const operatorAt = rule.text.search(/[<>=!≤≥]/);
  const sides = [{ name: rule.metric.metric, from: 0 }];
  if (rule.threshold.kind === 'metric') sides.push({ name: rule.threshold.ref.metric, from: operatorAt });
  for (const side of sides) {
    const problem = sourceProblem(side.name, context);
    if (problem) at(problem, side.name, side.from);
  }
  if (problems.length > 0) return problems;
  const fromPrometheus = context.prometheus.has(rule.metric.metric);
  const window = rule.window;
  if (window.kind === 'requests' && fromPrometheus) {
    at(
      `${rule.metric.metric} comes from Prometheus, which has no single requests: use a duration such as 'for 2m'`,
      'for',
    );
  }
  if (window.kind === 'requests' && window.count > MAX_REQUEST_WINDOW) {
    at(
      `gantry-proxy keeps the last ${MAX_REQUEST_WINDOW.toLocaleString('en-US')} requests of a version: use at most that many, or a duration`,
      'for',
    );
  }
  if (!fromPrometheus && rule.metric.metric === 'latency' && window.kind === 'duration') {
    at(
      "latency is judged request by request: write 'for N requests', or use p99_latency over a duration",
      'for',
    );
  }
  if (rule.metric.role === 'both' && rule.threshold.kind === 'metric') {
    at('a comparison names one version on each side: use (canary) and (stable), not (both)', 'both');
  }
  if (rule.judge === 'sequential') problems.push(...sequentialProblems(rule, context));
  return problems;
}

function sourceProblem(metric: string, context: MetricContext): string | undefined {
  if (context.prometheus.has(metric)) return undefined;
  if (isBuiltinMetric(metric)) {
    if (context.hasTarget) return context.builtinUnavailable?.(metric);
    return `${metric} comes from gantry-proxy's statistics, and a plan without a target has none: declare ${metric} under analysis.prometheus.metrics, or deploy with a target`;
  }
  const known = [...BUILTIN_METRIC_NAMES, ...context.prometheus.keys()];
  const suggestion = nearest(metric, known, 2);
  if (suggestion) return `unknown metric '${metric}'; did you mean '${suggestion}'?`;
  return `unknown metric '${metric}': declare it under analysis.prometheus.metrics with a PromQL query`;
}

function sequentialProblems(rule: AnalysisRule, context: MetricContext): RuleProblem[] {
  const problem = sequentialProblem(rule, context);
  return problem ? [{ message: `the sequential judge ${problem}`, offset: 0, length: rule.text.length }] : [];
}

function sequentialProblem(rule: AnalysisRule, context: MetricContext): string | undefined {
  const metric = rule.metric.metric;
  if (!['>', '>=', '<', '<='].includes(rule.operator)) return 'needs one of >, >=, <, <=';
  if (rule.window.kind !== 'instant') {
    return "reads every request since the version took traffic: remove the 'for …' window";
  }
  const declared = context.prometheus.get(metric);
  if (declared && !declared.requests) {
    return `needs request counts: give ${metric} a 'requests' query under analysis.prometheus.metrics`;
  }
  if (
    declared &&
    metric !== 'error_rate' &&
    rule.threshold.kind === 'quantity' &&
    rule.threshold.quantity.unit !== '%'
  ) {
    return `judges rates on Prometheus: ${metric} must be compared with a percentage`;
  }
  if (!declared && !SEQUENTIAL_BUILTIN.has(metric)) {
    return 'judges error_rate, p50_latency, p95_latency, p99_latency and latency comparisons; use the threshold judge for this metric';
  }
  if (declared && metric.includes('latency') && metric !== 'error_rate') {
    return 'on latency needs every request, which only gantry-proxy has: read it from the target or use the threshold judge';
  }
  if (metric === 'latency' && rule.threshold.kind !== 'metric') {
    return 'compares latency with the other version (latency(canary) > latency(stable)); for a fixed limit use p95_latency';
  }
  if (rule.threshold.kind === 'metric') {
    const { ref, scale } = rule.threshold;
    if (ref.metric !== metric || ref.role === rule.metric.role) {
      return `compares the same metric of the two versions, such as ${metric}(canary) > 2 × ${metric}(stable)`;
    }
    if (scale <= 0) return 'needs a scale above 0';
  }
  return undefined;
}
