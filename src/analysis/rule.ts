// The structure a rule of the rule language parses to:
//   METRIC[(role)] OP VALUE[unit] [for DURATION | for N requests | for N samples][: warn|pause|reduce|rollback]
// The right side may also compare against the other version: `error_rate(canary) > error_rate(stable) + 1%`.

// `reduce` (analysis steps with `reduceTo` only): lower the new version's traffic and wait for a person.
export const TIERS = ['warn', 'pause', 'reduce', 'rollback'] as const;
export type Tier = (typeof TIERS)[number];

export const ROLES = ['canary', 'stable', 'both'] as const;
/** Which version a metric is read for. `canary` is the new version (the only one in a plain runbook). */
export type MetricRole = (typeof ROLES)[number];

export const UNITS = ['%', 'ms', 's', 'm', 'h', 'B', 'KiB', 'MiB', 'GiB'] as const;
export type Unit = (typeof UNITS)[number];

export const OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Quantity {
  value: number;
  unit: Unit | null;
}

export interface MetricRef {
  metric: string;
  role: MetricRole;
}

/** The right side: a fixed quantity, or another metric scaled and offset (`1.2 × p95_latency(stable) + 10ms`). */
export type Threshold =
  | { kind: 'quantity'; quantity: Quantity }
  | { kind: 'metric'; ref: MetricRef; scale: number; offset: Quantity | null };

export type RuleWindow =
  | { kind: 'instant' }
  | { kind: 'duration'; ms: number }
  | { kind: 'requests'; count: number }
  | { kind: 'samples'; count: number };

export interface Rule {
  /** The rule as written, for explanations. */
  text: string;
  metric: MetricRef;
  operator: Operator;
  threshold: Threshold;
  window: RuleWindow;
  tier: Tier;
}

export interface RuleSyntaxError {
  message: string;
  /** Character offset in the rule text where the problem starts, and how many characters it spans. */
  offset: number;
  length: number;
}

export type RuleParseResult = { ok: true; rule: Rule } | { ok: false; error: RuleSyntaxError };
