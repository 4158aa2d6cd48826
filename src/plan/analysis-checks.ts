// Checks every rule of a plan (analysis rules, automatic rollback rules, rules of analysis steps anywhere)
// against where its metrics can come from, pointing into the rule text. Runs on the partly parsed plan:
// rules that did not parse are still raw strings and were reported already.

import type { z } from 'zod';
import type { AnalysisRule } from '../analysis/judged-rule.js';
import { type MetricContext, ruleProblems } from '../analysis/rule-support.js';
import { builtinUnavailable } from './target-metrics.js';

type Path = (string | number)[];

export function analysisChecks(plan: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const context = metricContext(plan);
  for (const { rule, path } of rulesIn(plan, [])) {
    const textPath = rule.textAt ? [...path, rule.textAt] : path;
    for (const problem of ruleProblems(rule, context)) {
      ctx.addIssue({
        code: 'custom',
        path: textPath,
        message: problem.message,
        params: { ruleOffset: problem.offset, ruleLength: problem.length },
      });
    }
  }
}

function metricContext(plan: Record<string, unknown>): MetricContext {
  const target = isMap(plan.target) ? plan.target : undefined;
  const analysis = isMap(plan.analysis) ? plan.analysis : {};
  const metrics =
    isMap(analysis.prometheus) && isMap(analysis.prometheus.metrics) ? analysis.prometheus.metrics : {};
  const prometheus = new Map<string, { requests: boolean }>();
  for (const [name, metric] of Object.entries(metrics)) {
    prometheus.set(name, { requests: isMap(metric) && typeof metric.requests === 'string' });
  }
  return {
    hasTarget: target !== undefined,
    builtinUnavailable: (metric) => builtinUnavailable(target, metric),
    prometheus,
  };
}

/** Parsed rules anywhere in the plan: items of `rules` and `automatic` lists. */
function* rulesIn(value: unknown, path: Path): Generator<{ rule: AnalysisRule; path: Path }> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* rulesIn(value[i], [...path, i]);
    return;
  }
  if (!isMap(value)) return;
  if (isRule(value)) {
    yield { rule: value as unknown as AnalysisRule, path };
    return;
  }
  for (const [key, child] of Object.entries(value)) yield* rulesIn(child, [...path, key]);
}

function isRule(value: Record<string, unknown>): boolean {
  return typeof value.text === 'string' && isMap(value.metric) && typeof value.operator === 'string';
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
