// The "Rule language" section of docs/plan-reference.md, from the rule types and the metric catalogue.

import { BUILTIN_METRICS } from '../analysis/metrics-catalogue.js';
import { OPERATORS, ROLES, TIERS, UNITS } from '../analysis/rule.js';

export function ruleLanguage(): string[] {
  const code = (words: readonly string[]) => words.map((word) => `\`${word}\``).join(', ');
  return [
    '## Rule language',
    '',
    'A rule is a string, or a one-key map `RULE: tier` (how YAML reads an unquoted `- error_rate > 1% for 1m: rollback`):',
    '',
    '```',
    'METRIC[(role)] OP VALUE[unit] [for DURATION | for N requests | for N samples][: tier]',
    'METRIC(role) OP [N ×] METRIC(role) [+|- VALUE[unit]] [for …][: tier]',
    '```',
    '',
    `- Operators: ${code(OPERATORS)}.`,
    `- Units: ${code(UNITS)}; a bare number is a count or a rate.`,
    `- Roles: ${code(ROLES)} (default \`canary\`, the new version).`,
    `- Tiers: ${code(TIERS)}; a rule without one gets \`rollback\`. \`reduce\` works in analysis steps with`,
    '  `reduceTo`: the new version keeps that percent of the traffic and the deployment pauses for a person.',
    '  `warn` notifies and never blocks: an analysis ends passed with its still-failing warn rules named.',
    '',
    'Examples: `error_rate > 1% for 5m`, `latency > 3s for 10 requests`, `memory > 90% for 3m: pause`,',
    '`error_rate(canary) > error_rate(stable) + 1%`, `p95_latency(canary) > 1.2 × p95_latency(stable) for 2m`.',
    '',
    'Windows: `for 2m` judges the last 2 minutes of requests once the new version has taken traffic that long',
    '(gauges such as `memory` and Prometheus queries without `{{window}}` must breach at every point of it);',
    '`for 10 requests` the last 10 requests (`latency`: each of them); `for 3 samples` 3 evaluations in a row;',
    'no window: the time since the previous evaluation (Prometheus: `analysis.prometheus.window`). Too few',
    'requests (20 by default, 100 for p99) make a rule inconclusive, never a pass.',
    '',
    'Judges: a rule string uses the `threshold` judge. `{ rule, judge: sequential, falseRollbackRate, minSamples }`',
    'reads every request since the version took traffic and decides as soon as an always-valid test is',
    'conclusive: a proportion test for `error_rate > 1%`, an error-ratio test for `error_rate(canary) > 2 ×',
    'error_rate(stable)` (blind to incidents that hit both versions), confidence bounds with an offset,',
    'quantile bounds for `p95_latency`, a Mann-Whitney test for `latency(canary) > latency(stable)`.',
    '',
    'Metrics Gantry measures itself (other names are allowed and read from the metric source):',
    '',
    '| Metric | Description |',
    '|---|---|',
    ...Object.entries(BUILTIN_METRICS).map(([name, metric]) => `| \`${name}\` | ${metric.description} |`),
  ];
}
