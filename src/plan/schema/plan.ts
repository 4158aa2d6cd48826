// Plan format 1: the whole document. Cross-section rules (a target needs a strategy, notify.on names declared
// channels) are checked here; references inside strings (secrets, variables) are checked in ../references.ts.

import { z } from 'zod';
import { analysisChecks } from '../analysis-checks.js';
import { backupChecks } from '../backup-checks.js';
import { notifyChecks } from '../notify-checks.js';
import { reduceChecks } from '../reduce-checks.js';
import { strategyChecks } from '../strategy-checks.js';
import { didYouMean } from '../suggest.js';
import { targetChecks } from '../target-checks.js';
import { analysisSection } from './analysis.js';
import { backup, backupSettings } from './backup.js';
import { duration, name, roleName } from './common.js';
import { notify } from './notify.js';
import { rules } from './rules.js';
import { httpStep, runStep, stepList } from './steps.js';
import { strategy } from './strategy.js';
import { target } from './target.js';
import { window } from './window.js';

const secret = z
  .union([
    z.strictObject({ env: z.string().min(1).meta({ description: 'Read from this environment variable.' }) }),
    z.strictObject({
      file: z.string().min(1).meta({ description: 'Read from this file (trailing newline removed).' }),
    }),
  ])
  .meta({ title: 'secret' });

export const hooks = z.strictObject({
  before: stepList.prefault([]).meta({ description: 'Steps before the strategy starts changing traffic.' }),
  after: stepList.prefault([]).meta({ description: 'Steps after the new version takes all traffic.' }),
});

export const monitorStage = z.strictObject({
  every: duration.meta({ description: 'How often the automatic rules are evaluated.' }),
  for: duration.meta({ description: 'How long this stage lasts.' }),
});

export const planSchema = z
  .strictObject({
    service: name.meta({
      description: 'The service deployed; one deployment at a time per service and environment.',
    }),
    environment: name
      .default('production')
      .meta({ description: 'Where the service is deployed, such as production or staging.' }),
    description: z
      .string()
      .optional()
      .meta({ description: 'What this plan is for, shown in `gantry status`.' }),
    target: target.optional(),
    window: window.optional(),
    secrets: z
      .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'secret names are UPPER_SNAKE_CASE'), secret)
      .default({})
      .meta({ description: 'Secrets used as ${secrets.NAME}; resolved at deploy start, never printed.' }),
    preflight: z
      .array(z.union([runStep, httpStep]).meta({ title: 'preflight check' }))
      .prefault([])
      .meta({ description: 'Checks that must pass before anything changes (run or http).' }),
    checklist: z
      .array(z.string().min(1))
      .default([])
      .meta({ description: 'Items each checked by a named user.' }),
    approvals: z
      .array(
        z.strictObject({
          role: roleName,
          count: z
            .int()
            .min(1)
            .max(20)
            .default(1)
            .meta({ description: 'How many different people of this role.' }),
        }),
      )
      .default([])
      .meta({ description: 'Roles that must approve; the requester never approves their own deployment.' }),
    backup: z.array(backup).prefault([]).meta({
      description: 'Backups taken before anything changes; `restore` steps restore them on rollback.',
    }),
    backups: backupSettings
      .prefault({})
      .meta({ description: 'Where backup files are kept, and how many of each name.' }),
    steps: z
      .union([stepList, hooks])
      .optional()
      .meta({ description: 'A plain runbook: steps in order. With a strategy: hooks `before` and `after`.' }),
    strategy: strategy.optional(),
    analysis: analysisSection,
    rollback: z
      .strictObject({
        automatic: rules('rollback')
          .prefault([])
          .meta({ description: 'Rules armed through the rollout and the monitor stages.' }),
        interval: duration.prefault('250ms').meta({
          description:
            'How often automatic rules are evaluated while traffic shifts (Prometheus metrics: at least analysis.interval; monitor stages: their `every`).',
        }),
        steps: stepList
          .prefault([])
          .meta({ description: 'Run after traffic is restored, when a deployment fails.' }),
      })
      .prefault({})
      .meta({ description: 'When to roll back by itself, and what to run after traffic is restored.' }),
    monitor: z
      .array(monitorStage)
      .default([])
      .meta({ description: 'Watch stages after promotion, e.g. every 1m for 1h, then every 5m for 8h.' }),
    notify: notify.prefault({}).meta({ description: 'Where people hear about deployments.' }),
  })
  // `when` runs these checks even when other parts of the plan are invalid, so every problem is reported at
  // once; parts that failed may then hold their raw input, hence the defensive reads.
  .superRefine((plan, ctx) => crossChecks(plan as Record<string, unknown>, ctx), { when: isMapPayload })
  .meta({
    title: 'Gantry plan (format 1)',
    description: 'A production deployment runbook that Gantry runs.',
  });

function isMapPayload(payload: { value: unknown }): boolean {
  return typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);
}

function crossChecks(plan: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  if (plan.target && !plan.strategy) issue(['target'], 'a plan with a target needs a strategy');
  if (plan.strategy && !plan.target) issue(['strategy'], 'a strategy needs a target to shift traffic on');
  if (plan.strategy && Array.isArray(plan.steps)) {
    issue(['steps'], 'with a strategy, steps are hooks: write `steps: { before: [...], after: [...] }`');
  }
  if (!plan.strategy && !Array.isArray(plan.steps)) {
    issue(['steps'], 'a plan without a strategy needs a list of steps');
  }
  strategyChecks(plan, issue);
  targetChecks(plan, issue);
  backupChecks(plan, issue);
  analysisChecks(plan, ctx);
  notifyChecks(plan, issue);
  reduceChecks(plan, issue);
  const notifyConfig = (plan.notify ?? {}) as { channels?: unknown; on?: unknown };
  const channels = isMap(notifyConfig.channels) ? notifyConfig.channels : {};
  for (const [event, names] of Object.entries(isMap(notifyConfig.on) ? notifyConfig.on : {})) {
    if (!Array.isArray(names)) continue;
    names.forEach((channelName: unknown, index) => {
      if (typeof channelName === 'string' && !Object.hasOwn(channels, channelName)) {
        const hint = didYouMean(channelName, Object.keys(channels));
        issue(
          ['notify', 'on', event, index],
          `no channel named "${channelName}" under notify.channels${hint}`,
        );
      }
    });
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type Plan = z.output<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
