// Step kinds a plan can list. Each step is a map with exactly one kind key (`run`, `http`, `wait`…)
// beside optional common keys. Strategies expand to these same kinds.

import { z } from 'zod';
import { backup } from './backup.js';
import { duration, name, roleName, template } from './common.js';
import { ruleList } from './rules.js';

const common = {
  name: z.string().min(1).optional().meta({ description: 'A label for logs and the dashboard.' }),
};

const retrying = {
  retries: z.int().min(0).max(100).default(0).meta({ description: 'Extra attempts after a failure.' }),
  backoff: duration.prefault('1s').meta({ description: 'Delay before the first retry; doubles each retry.' }),
};

export const runStep = z.strictObject({
  ...common,
  ...retrying,
  run: template.meta({
    description: 'A shell command (/bin/sh -c). Its output is captured, secrets redacted.',
  }),
  env: z.record(z.string(), template).default({}).meta({ description: 'Extra environment variables.' }),
  cwd: z.string().optional().meta({ description: "Working directory, relative to the plan file's folder." }),
  timeout: duration
    .prefault('10m')
    .meta({ description: 'The command is killed (SIGTERM, then SIGKILL) after this.' }),
  idempotent: z.boolean().default(false).meta({
    description:
      'Safe to run twice. A non-idempotent command interrupted by a crash is never re-run silently: the deployment waits for an operator.',
  }),
});

export const httpExpect = z.strictObject({
  status: z
    .union([z.int().min(100).max(599), z.array(z.int().min(100).max(599)).min(1)])
    .default(200)
    .meta({ description: 'Accepted status code or codes.' }),
  json: z.unknown().optional().meta({ description: 'A JSON subset the response body must contain.' }),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: 'Headers that must have these values.' }),
  bodyContains: z.string().optional().meta({ description: 'Text the body must contain.' }),
  maxLatency: duration.optional().meta({ description: 'The response must arrive within this time.' }),
});

export const httpRequest = z.strictObject({
  url: template.meta({ description: 'The URL to request.' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  headers: z
    .record(z.string(), template)
    .default({})
    .meta({ description: 'Request headers; values may use ${secrets.NAME}.' }),
  body: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .meta({ description: 'Text, or a map sent as JSON.' }),
  timeout: duration.prefault('10s').meta({ description: 'The request fails after this.' }),
  expect: httpExpect.prefault({}).meta({ description: 'What the response must look like to pass.' }),
});

export const httpStep = z.strictObject({
  ...common,
  ...retrying,
  http: httpRequest.meta({ description: 'Request a URL and check the response.' }),
});

export const waitStep = z.strictObject({
  ...common,
  wait: duration.meta({ description: 'Wait this long; the deadline survives restarts.' }),
});

export const pauseStep = z.strictObject({
  ...common,
  pause: z
    .strictObject({
      duration: duration.optional().meta({ description: 'Resume by itself after this long.' }),
      approval: roleName.optional().meta({ description: 'Resume when a user with this role approves.' }),
      reason: z.string().optional().meta({ description: 'Shown to operators while paused.' }),
    })
    .nullable()
    .transform((value) => value ?? {})
    .meta({ description: 'Stop until `gantry promote`, an approval, or a duration.' }),
});

export const checklistStep = z.strictObject({
  ...common,
  checklist: z.array(z.string().min(1)).min(1).meta({ description: 'Items each checked by a named user.' }),
});

export const approvalSpec = z.strictObject({
  role: roleName,
  count: z.int().min(1).max(20).default(1).meta({ description: 'How many different people of this role.' }),
});

export const approvalStep = z.strictObject({
  ...common,
  approval: z
    .union([roleName.transform((role) => ({ role, count: 1 })), approvalSpec])
    .meta({ description: 'Wait for approval by a user with this role (never the requester).' }),
});

export const notifyStep = z.strictObject({
  ...common,
  notify: z
    .union([
      name.transform((channel) => ({ channels: [channel], message: undefined as string | undefined })),
      z.strictObject({
        channels: z
          .union([name.transform((channel) => [channel]), z.array(name).min(1)])
          .meta({ description: 'A channel name or a list of them, declared under notify.channels.' }),
        message: template
          .optional()
          .meta({ description: 'The text sent; the lifecycle summary when absent.' }),
      }),
    ])
    .meta({ description: 'Send a message to notification channels; a failure is recorded, not fatal.' }),
});

export const setWeightStep = z.strictObject({
  ...common,
  setWeight: z
    .number()
    .min(0)
    .max(100)
    .meta({ description: 'Percent of traffic to the new version (fractions allowed: 0.5).' }),
});

export const analysisStep = z.strictObject({
  ...common,
  analysis: z
    .strictObject({
      duration: duration.meta({ description: 'How long to judge the new version.' }),
      rules: ruleList
        .optional()
        .meta({ description: "Rules for this step; the plan's analysis rules when absent." }),
      interval: duration.optional().meta({
        description: "How often this step evaluates its rules; the plan's analysis.interval when absent.",
      }),
      reduceTo: z.number().min(0).max(100).optional().meta({
        description:
          'Percent of traffic the new version keeps when a `reduce` rule fires ("reduce to 5% on degradation"); the step then waits for a person: `gantry resume` puts the weight back and judges this phase again, `gantry promote` goes on, `gantry abort` rolls back.',
      }),
    })
    .meta({ description: 'Judge the new version by the analysis rules for a while.' }),
});

export const headerRouteStep = z.strictObject({
  ...common,
  headerRoute: z.boolean().meta({
    description:
      'true: requests with the header X-Gantry-Canary: 1 go to the new version whatever the weights (smoke tests, previews); false: they follow the weights again.',
  }),
});

export const maintenanceStep = z.strictObject({
  ...common,
  maintenance: z
    .union([
      z.boolean().transform((enabled) => ({
        enabled,
        message: undefined as string | undefined,
        retryAfter: undefined as number | undefined,
      })),
      z.strictObject({
        enabled: z.boolean().meta({ description: 'On: users get the maintenance page (503).' }),
        message: template.optional().meta({ description: 'One sentence shown on the maintenance page.' }),
        retryAfter: duration.optional().meta({ description: 'Sent as Retry-After; default 5m.' }),
      }),
    ])
    .meta({
      description:
        'Serve the maintenance page (503, X-Maintenance-Mode: true) to users, or stop serving it. Requests with the canary header still pass.',
    }),
});

const RESTORE_TIMEOUT_MS = 3_600_000;

export const restoreSpec = z.strictObject({
  backup: name.meta({
    description: "The backup to restore: its name in the plan's `backup` section or a `backup` step.",
  }),
  stopTraffic: z.boolean().default(false).meta({
    description:
      "Serve the maintenance page (the target's maintenance mode) while the data goes back, so no version writes to a half-restored database; lifted after a successful restore unless it was on before. Needs a target.",
  }),
  allowUnverified: z
    .boolean()
    .default(false)
    .meta({ description: 'Restore a backup taken with `verify: false`; refused otherwise.' }),
  timeout: duration
    .prefault('1h')
    .meta({ description: 'The restore fails (and changes nothing) after this.' }),
});

export const restoreStep = z.strictObject({
  ...common,
  restore: z
    .union([
      name.transform((backup) => ({
        backup,
        stopTraffic: false,
        allowUnverified: false,
        timeout: RESTORE_TIMEOUT_MS,
      })),
      restoreSpec,
    ])
    .meta({
      description:
        'Restore a backup this deployment took: Postgres with pg_restore --clean --if-exists in one transaction, files by extracting the archive. A backup name, or a map.',
    }),
});

export const backupStep = z.strictObject({
  ...common,
  backup: backup.meta({
    description: 'Take a backup now; the same fields as an item of the `backup` section.',
  }),
});

export const migrateSpec = z
  .strictObject({
    up: template.meta({
      description: 'The command that applies the migration (/bin/sh -c), such as `alembic upgrade head`.',
    }),
    down: template.optional().meta({
      description:
        'The command that undoes it; on rollback it runs when the up command ran, before the rollback steps.',
    }),
    irreversible: z.boolean().default(false).meta({
      description:
        'It destroys what no command can bring back. Rolling back past it then needs a verified backup taken before it and restored by the rollback; otherwise the rollback stops as `interrupted` for an operator.',
    }),
    env: z.record(z.string(), template).default({}).meta({ description: 'Extra environment variables.' }),
    cwd: z
      .string()
      .optional()
      .meta({ description: "Working directory, relative to the plan file's folder." }),
    timeout: duration.prefault('30m').meta({ description: 'Each command is killed after this.' }),
    idempotent: z.boolean().default(false).meta({
      description:
        'Safe to run twice (most migration tools record what they applied). Otherwise an up or down cut off by a crash waits for an operator.',
    }),
  })
  .superRefine((spec, ctx) => {
    if (spec.down === undefined && !spec.irreversible) {
      ctx.addIssue({
        code: 'custom',
        path: ['down'],
        message: 'a migration needs a `down` command, or `irreversible: true` when nothing can undo it',
      });
    }
    if (spec.down !== undefined && spec.irreversible) {
      ctx.addIssue({
        code: 'custom',
        path: ['down'],
        message:
          'an irreversible migration has no down command: remove `down`, or `irreversible` if the down brings everything back',
      });
    }
  });

export const migrateStep = z.strictObject({
  ...common,
  migrate: migrateSpec.meta({
    description: 'A database migration: its up command runs now, its down command on rollback.',
  }),
});

export const monitorStep = z.strictObject({
  ...common,
  monitor: z
    .strictObject({
      every: duration.meta({ description: 'How often the automatic rollback rules are evaluated.' }),
      for: duration.meta({ description: 'How long to watch; the deadline survives restarts.' }),
    })
    .meta({
      description: 'Watch the new version: rollback.automatic rules are evaluated every `every` for `for`.',
    }),
});

/** Each kind with its schema; the key is the step's kind key in YAML. */
export const STEP_SCHEMAS = {
  run: runStep,
  http: httpStep,
  wait: waitStep,
  pause: pauseStep,
  checklist: checklistStep,
  approval: approvalStep,
  notify: notifyStep,
  setWeight: setWeightStep,
  analysis: analysisStep,
  restore: restoreStep,
  backup: backupStep,
  migrate: migrateStep,
  headerRoute: headerRouteStep,
  maintenance: maintenanceStep,
  monitor: monitorStep,
} as const;

export type StepKind = keyof typeof STEP_SCHEMAS;
export const STEP_KINDS = Object.keys(STEP_SCHEMAS) as StepKind[];

// Listed one by one (not Object.values) so the union's output type is StepSpec, not unknown.
export const step = z
  .union([
    runStep,
    httpStep,
    waitStep,
    pauseStep,
    checklistStep,
    approvalStep,
    notifyStep,
    setWeightStep,
    analysisStep,
    restoreStep,
    backupStep,
    migrateStep,
    headerRouteStep,
    maintenanceStep,
    monitorStep,
  ])
  .meta({
    title: 'step',
    description: 'One action of a runbook, a strategy, a hook or a rollback, run in order.',
  });

export const stepList = z.array(step);

export type RunStep = z.output<typeof runStep>;
export type MonitorStep = z.output<typeof monitorStep>;
export type HttpStep = z.output<typeof httpStep>;
export type HttpRequest = z.output<typeof httpRequest>;
export type WaitStep = z.output<typeof waitStep>;
export type PauseStep = z.output<typeof pauseStep>;
export type ChecklistStep = z.output<typeof checklistStep>;
export type ApprovalStep = z.output<typeof approvalStep>;
export type NotifyStep = z.output<typeof notifyStep>;
export type SetWeightStep = z.output<typeof setWeightStep>;
export type AnalysisStep = z.output<typeof analysisStep>;
export type RestoreStep = z.output<typeof restoreStep>;
export type BackupStep = z.output<typeof backupStep>;
export type MigrateStep = z.output<typeof migrateStep>;
export type MigrateSpec = z.output<typeof migrateSpec>;
export type HeaderRouteStep = z.output<typeof headerRouteStep>;
export type MaintenanceStep = z.output<typeof maintenanceStep>;

export type StepSpec =
  | RunStep
  | HttpStep
  | WaitStep
  | PauseStep
  | ChecklistStep
  | ApprovalStep
  | NotifyStep
  | SetWeightStep
  | AnalysisStep
  | RestoreStep
  | BackupStep
  | MigrateStep
  | HeaderRouteStep
  | MaintenanceStep
  | MonitorStep;

/** The kind of a validated step: the one kind key it has. */
export function kindOf(spec: StepSpec): StepKind {
  const kind = STEP_KINDS.find((key) => key in spec);
  if (!kind) throw new Error(`step has no kind key: ${JSON.stringify(spec)}`);
  return kind;
}
