// Rules inside a plan: a string in the rule language, a one-key map `{ "RULE": tier }` (how YAML reads an
// unquoted `- error_rate > 1% for 1m: rollback`), or an object naming the judge:
// `{ rule: "error_rate(canary) > 2 × error_rate(stable)", judge: sequential, falseRollbackRate: 0.001 }`.

import { z } from 'zod';
import {
  type AnalysisRule,
  DEFAULT_FALSE_ROLLBACK_RATE,
  JUDGES,
  withDefaults,
} from '../../analysis/judged-rule.js';
import { TIERS, type Tier } from '../../analysis/rule.js';
import { parseRule } from '../../analysis/rule-parser.js';

// Metric names are checked against the plan's declared metrics later (plan.ts), where those are known.
function ruleFrom(
  text: string,
  tier: Tier | undefined,
  defaultTier: Tier,
  ctx: z.RefinementCtx,
  path: string[] = [],
): AnalysisRule {
  const result = parseRule(tier ? `${text}: ${tier}` : text, defaultTier, { knownMetrics: 'any' });
  if (result.ok) return withDefaults(result.rule);
  ctx.addIssue({
    code: 'custom',
    message: result.error.message,
    path,
    params: { ruleOffset: result.error.offset, ruleLength: result.error.length },
  });
  return z.NEVER;
}

const ruleObject = (defaultTier: Tier) =>
  z
    .strictObject({
      rule: z.string().meta({ description: 'The rule, such as "error_rate > 1% for 5m".' }),
      tier: z
        .enum(TIERS)
        .optional()
        .meta({ description: 'warn, pause or rollback; or write it in the rule.' }),
      judge: z.enum(JUDGES).default('threshold').meta({
        description:
          'threshold: compare the value over the window; sequential: decide as soon as a statistical test on every request since the version took traffic is conclusive.',
      }),
      falseRollbackRate: z.number().gt(0).max(0.2).default(DEFAULT_FALSE_ROLLBACK_RATE).meta({
        description:
          'Sequential judge: the highest chance, over the whole analysis, of acting on a version that meets the rule.',
      }),
      minSamples: z.int().min(1).optional().meta({
        description:
          'Requests (or samples) each version needs before any verdict; default 20 for threshold rules (more for p95/p99), 100 for sequential ones.',
      }),
    })
    .transform((object, ctx): AnalysisRule => {
      const parsed = ruleFrom(object.rule, object.tier, defaultTier, ctx, ['rule']);
      return {
        ...parsed,
        judge: object.judge,
        falseRollbackRate: object.falseRollbackRate,
        ...(object.minSamples !== undefined ? { minSamples: object.minSamples } : {}),
        textAt: 'rule',
      };
    });

/** A rule list whose rules without a tier get `defaultTier`. */
export function rules(defaultTier: Tier) {
  const ruleText = z.string().transform((text, ctx) => ruleFrom(text, undefined, defaultTier, ctx));
  const ruleMap = z
    .record(z.string(), z.enum(TIERS))
    .refine((map) => Object.keys(map).length === 1, { message: 'write one rule per list item' })
    .transform((map, ctx) => {
      const [text, tier] = Object.entries(map)[0] as [string, Tier];
      return ruleFrom(text, tier, defaultTier, ctx);
    });
  return z.array(z.union([ruleText, ruleObject(defaultTier), ruleMap]).meta({ title: 'rule' })).meta({
    description:
      'Rules such as "error_rate > 1% for 1m: rollback" or "p95_latency(canary) > 1.2 × p95_latency(stable) for 2m: pause"; an object `{ rule, judge: sequential }` picks the judge.',
  });
}

export const ruleList = rules('rollback');
