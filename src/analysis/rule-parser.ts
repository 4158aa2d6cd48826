// The rule language, read by recursive descent:
//   METRIC[(role)] OP VALUE[unit] [for DURATION | for N requests | for N samples][: warn|pause|rollback]
// where the right side may be `[N ×] METRIC(role) [± VALUE]`. Errors carry the offset and length to point at.

import { didYouMean, nearest } from '../plan/suggest.js';
import { listWords } from '../plan/wording.js';
import { BUILTIN_METRIC_NAMES } from './metrics-catalogue.js';
import {
  type MetricRef,
  type MetricRole,
  type Operator,
  type Quantity,
  ROLES,
  type Rule,
  type RuleParseResult,
  type Threshold,
  TIERS,
  type Tier,
} from './rule.js';
import { checkThresholdUnits } from './rule-checks.js';
import { describeToken, errorAt, RuleSyntaxError, type Token, TokenCursor, tokenize } from './rule-tokens.js';
import { isUnit, quantityOf, splitNumber } from './rule-units.js';
import { parseWindow } from './rule-window.js';

export interface ParseRuleOptions {
  /**
   * Metric names known besides the builtin ones (e.g. declared Prometheus queries); `any` skips the check
   * for near misses of builtin names, for callers that check names later with the full list.
   */
  knownMetrics?: readonly string[] | 'any';
}

export function parseRule(text: string, defaultTier: Tier, options: ParseRuleOptions = {}): RuleParseResult {
  try {
    return { ok: true, rule: new RuleParser(text, options).rule(defaultTier) };
  } catch (thrown) {
    if (!(thrown instanceof RuleSyntaxError)) throw thrown;
    return { ok: false, error: { message: thrown.message, offset: thrown.offset, length: thrown.length } };
  }
}

const OPERATOR_SPELLINGS: Record<string, Operator> = {
  '>': '>',
  '>=': '>=',
  '≥': '>=',
  '<': '<',
  '<=': '<=',
  '≤': '<=',
  '==': '==',
  '!=': '!=',
};

class RuleParser {
  private readonly cursor: TokenCursor;

  constructor(
    private readonly text: string,
    private readonly options: ParseRuleOptions,
  ) {
    this.cursor = new TokenCursor(tokenize(text));
  }

  rule(defaultTier: Tier): Rule {
    const first = this.cursor.peek();
    if (first.kind === 'end') {
      throw new RuleSyntaxError(
        'the rule is empty; write one such as "error_rate > 1% for 5m"',
        0,
        this.text.length,
      );
    }
    const metric = this.metricRef('expected a metric name such as error_rate at the start of the rule');
    const operator = this.operator(first);
    const thresholdStart = this.cursor.peek();
    const threshold = this.threshold(operator);
    const thresholdEnd = this.cursor.peek(-1);
    checkThresholdUnits(metric, threshold, thresholdStart, thresholdEnd);
    if (
      threshold.kind === 'metric' &&
      threshold.ref.metric === metric.metric &&
      threshold.ref.role === metric.role
    ) {
      const name = `${metric.metric}(${metric.role})`;
      const message = `the rule compares ${name} with itself; name the other version, such as ${metric.metric}(stable)`;
      throw errorAt(message, thresholdStart, thresholdEnd);
    }
    const window = parseWindow(this.cursor);
    return { text: this.text.trim(), metric, operator, threshold, window, tier: this.tier() ?? defaultTier };
  }

  private metricRef(expected: string): MetricRef {
    const token = this.cursor.next();
    if (token.kind !== 'word') throw errorAt(`${expected}, got ${describeToken(token)}`, token);
    this.checkMetricName(token);
    if (!this.cursor.accept('(')) return { metric: token.text, role: 'canary' };
    const role = this.cursor.next();
    if (role.kind !== 'word') {
      throw errorAt(`expected a role (${listWords(ROLES)}) inside the parentheses after ${token.text}`, role);
    }
    if (!(ROLES as readonly string[]).includes(role.text)) {
      throw errorAt(
        `unknown role '${role.text}'; use ${listWords(ROLES)}${didYouMean(role.text, ROLES)}`,
        role,
      );
    }
    const close = this.cursor.next();
    if (close.text !== ')') throw errorAt(`expected ')' after ${token.text}(${role.text}`, close);
    return { metric: token.text, role: role.text as MetricRole };
  }

  /** Metric names are open, but a near miss of a builtin name is almost always a typo. */
  private checkMetricName(token: Token): void {
    const known = this.options.knownMetrics ?? [];
    if (known === 'any' || [...BUILTIN_METRIC_NAMES, ...known].includes(token.text)) return;
    const suggestion = nearest(token.text, BUILTIN_METRIC_NAMES, 2);
    if (suggestion) throw errorAt(`unknown metric '${token.text}'; did you mean '${suggestion}'?`, token);
  }

  private operator(metric: Token): Operator {
    const token = this.cursor.next();
    const operator = OPERATOR_SPELLINGS[token.text];
    if (token.kind === 'symbol' && operator !== undefined) return operator;
    const got = token.kind === 'end' ? '' : `, got ${describeToken(token)}`;
    throw errorAt(`expected an operator (>, >=, <, <=) after ${metric.text}${got}`, token);
  }

  private threshold(operator: Operator): Threshold {
    const token = this.cursor.peek();
    if (token.kind === 'word') return this.metricThreshold(1);
    if (token.kind !== 'number') {
      const expected = 'expected a value such as 1%, 500ms or 3, or a metric such as error_rate(stable)';
      throw errorAt(`${expected}, after '${operator}'`, token);
    }
    this.cursor.next();
    const scale = this.scaleBefore(token);
    if (scale !== undefined) return this.metricThreshold(scale);
    return { kind: 'quantity', quantity: this.quantity(token) };
  }

  /** `1.2 ×`, `1.2 *` or `1.2x` before a metric: the scale; otherwise undefined. */
  private scaleBefore(token: Token): number | undefined {
    const { value, suffix } = splitNumber(token);
    if (suffix === 'x' && this.cursor.peek().kind === 'word') return value;
    if (suffix === '' && (this.cursor.accept('×') || this.cursor.accept('*'))) return value;
    return undefined;
  }

  private metricThreshold(scale: number): Threshold {
    const ref = this.metricRef('expected a metric such as p95_latency(stable) after the scale');
    const sign = this.cursor.accept('+') ?? this.cursor.accept('-');
    if (!sign) return { kind: 'metric', ref, scale, offset: null };
    const token = this.cursor.next();
    if (token.kind !== 'number')
      throw errorAt(`expected a value such as 1% or 50ms after '${sign.text}'`, token);
    const quantity = this.quantity(token);
    const offset = sign.text === '-' ? { ...quantity, value: -quantity.value } : quantity;
    return { kind: 'metric', ref, scale, offset };
  }

  /** A number token's quantity; a unit written apart ("5 %", "500 ms") is accepted too. */
  private quantity(token: Token): Quantity {
    const quantity = quantityOf(token);
    const after = this.cursor.peek();
    if (quantity.unit !== null || after.kind === 'number' || !isUnit(after.text)) return quantity;
    this.cursor.next();
    return { value: quantity.value, unit: after.text };
  }

  private tier(): Tier | undefined {
    if (!this.cursor.accept(':')) {
      const rest = this.cursor.peek();
      if (rest.kind === 'end') return undefined;
      throw errorAt(`unexpected ${describeToken(rest)}; expected ': tier' or the end of the rule`, rest);
    }
    const token = this.cursor.next();
    if (token.kind !== 'word') throw errorAt(`expected a tier (${listWords(TIERS)}) after ':'`, token);
    if (!(TIERS as readonly string[]).includes(token.text)) {
      const suggestion = nearest(token.text, TIERS, 3);
      const advice = suggestion ? `did you mean '${suggestion}'?` : `use ${listWords(TIERS)}`;
      throw errorAt(`unknown tier '${token.text}'; ${advice}`, token);
    }
    const rest = this.cursor.peek();
    if (rest.kind !== 'end') {
      throw errorAt(`unexpected ${describeToken(rest)} after the tier; the tier ends the rule`, rest);
    }
    return token.text as Tier;
  }
}
