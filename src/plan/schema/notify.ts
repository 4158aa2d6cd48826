// Notification channels, which lifecycle events go to them, how severe each event is, the escalation ladder
// while a deployment waits for a person, and reminders before a deployment window opens.

import { z } from 'zod';
import { duration, name, template } from './common.js';

export const LIFECYCLE_EVENTS = [
  'started',
  'waiting',
  'paused',
  'interrupted',
  'warning',
  'rolling_back',
  'rolled_back',
  'succeeded',
  'failed',
  'aborted',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** Incident severities, mildest first: the four PagerDuty's Events API knows, and most alerting tools map. */
export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Everything Gantry sends: lifecycle events, notify steps, window reminders and escalation acknowledgements. */
export const NOTIFICATION_EVENTS = [...LIFECYCLE_EVENTS, 'step', 'reminder', 'acknowledged'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** What a deployment can be stuck in while nobody answers; the escalation ladder runs for these. */
export const ESCALATION_TRIGGERS = ['interrupted', 'paused', 'failed', 'waiting'] as const;
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number];

const webhook = z.strictObject({
  url: template.meta({ description: 'Receives a JSON POST per event.' }),
  secret: template
    .optional()
    .meta({ description: 'Signs each body: X-Gantry-Signature: sha256=HMAC(secret, body).' }),
  headers: z.record(z.string(), template).default({}).meta({ description: 'Extra request headers.' }),
});

const email = z.strictObject({
  host: template.meta({ description: 'The SMTP server.' }),
  port: z
    .number()
    .int()
    .min(1)
    .max(65_535)
    .optional()
    .meta({ description: 'The SMTP port; 465 when `secure`, else 587.' }),
  secure: z.boolean().default(false).meta({
    description: 'TLS from the first byte (port 465). When false, STARTTLS is used if the server offers it.',
  }),
  from: template.meta({ description: 'The sender address, e.g. "Gantry <gantry@example.com>".' }),
  to: z
    .union([template.transform((address) => [address]), z.array(template).min(1)])
    .meta({ description: 'One recipient address or a list of them.' }),
  auth: z
    .strictObject({
      user: template.meta({ description: `The SMTP user, e.g. "\${secrets.SMTP_USER}".` }),
      password: template.meta({ description: `The SMTP password: write "\${secrets.SMTP_PASSWORD}".` }),
    })
    .optional()
    .meta({ description: 'Log in to the SMTP server with these.' }),
});

const pagerduty = z.strictObject({
  routingKey: template.meta({
    description: `The integration (routing) key of an Events API v2 integration: write "\${secrets.NAME}".`,
  }),
  url: template
    .default('https://events.pagerduty.com/v2/enqueue')
    .meta({ description: 'The Events API v2 endpoint.' }),
  resolveOn: z.array(z.enum(NOTIFICATION_EVENTS)).default(['succeeded']).meta({
    description:
      "Events that resolve the deployment's incident (one dedup key per deployment) instead of triggering it.",
  }),
});

export const channel = z
  .union([
    z.strictObject({ slack: template.meta({ description: 'A Slack incoming-webhook URL.' }) }),
    z.strictObject({
      webhook: z
        .union([template.transform((url) => ({ url, headers: {} })), webhook])
        .meta({ description: 'A URL, or a map with url, secret and headers.' }),
    }),
    z.strictObject({
      email: email.meta({
        description: 'Email through an SMTP server; the subject starts with the severity.',
      }),
    }),
    z.strictObject({
      pagerduty: pagerduty.meta({
        description:
          'PagerDuty Events API v2: triggers, acknowledges and resolves one incident per deployment.',
      }),
    }),
  ])
  .meta({ title: 'channel' });

// A plain list (no shorthand): cross-checks point at each name, so the parsed shape must be the written one.
const channelList = z
  .array(name)
  .min(1)
  .meta({ description: 'Channel names, declared under notify.channels.' });

const escalationLevel = z.strictObject({
  after: duration.meta({
    description: 'How long after the deployment became stuck this level is told (0m: at once).',
  }),
  channels: channelList,
});

const ladder = z
  .array(escalationLevel)
  .min(1)
  .superRefine((levels, ctx) => {
    levels.forEach((level, index) => {
      const previous = levels[index - 1];
      if (previous && level.after < previous.after)
        ctx.addIssue({
          code: 'custom',
          path: [index, 'after'],
          message: 'each level comes no earlier than the one before it',
        });
    });
  });

export const DEFAULT_ESCALATION_TRIGGERS: EscalationTrigger[] = ['interrupted', 'paused', 'failed'];

export const escalation = z
  .union([
    ladder,
    z.strictObject({
      on: z.array(z.enum(ESCALATION_TRIGGERS)).min(1).default(DEFAULT_ESCALATION_TRIGGERS).meta({
        description:
          'Which states start the ladder: interrupted, paused (by a rule), failed, waiting (for an approval or a checklist).',
      }),
      levels: ladder.meta({ description: 'The levels, in order.' }),
    }),
  ])
  .meta({
    description:
      'Who is told, and when, while a deployment waits for a person and nobody answers: a list of levels (`after`, `channels`), or a map with `on` and `levels`. Any operator action or `gantry ack` stops it.',
  });

const reminder = z.strictObject({
  before: duration.meta({ description: 'How long before the window opens, e.g. 24h or 1h.' }),
  channels: channelList,
  message: template
    .optional()
    .meta({ description: 'The text sent, before the opening time; a summary when absent.' }),
});

export const notify = z.strictObject({
  channels: z
    .record(name, channel)
    .prefault({})
    .meta({ description: 'Named channels, used by notify steps and `on`.' }),
  on: z
    .partialRecord(z.enum(LIFECYCLE_EVENTS), z.array(name))
    .default({})
    .meta({ description: 'Which channels hear of each lifecycle event.' }),
  severity: z.partialRecord(z.enum(NOTIFICATION_EVENTS), z.enum(SEVERITIES)).default({}).meta({
    description:
      'Severity of each event as receivers see it (payload, PagerDuty severity, email subject). Defaults: interrupted and failed critical; paused, warning, rolling_back, rolled_back and aborted warning; the rest info.',
  }),
  escalation: escalation.optional(),
  reminders: z
    .array(reminder)
    .prefault([])
    .meta({ description: 'Messages before the deployment window opens (needs `window`), each sent once.' }),
});

export type Channel = z.output<typeof channel>;
export type EmailChannel = z.output<typeof email>;
export type PagerDutyChannel = z.output<typeof pagerduty>;
export type Escalation = z.output<typeof escalation>;
export type EscalationLevel = z.output<typeof escalationLevel>;
export interface EscalationLadder {
  on: EscalationTrigger[];
  levels: EscalationLevel[];
}

/** The ladder in one shape, whichever way the plan wrote it (a list of levels, or `on` and `levels`). */
export function escalationLadder(config: Escalation | undefined): EscalationLadder | undefined {
  if (!config) return undefined;
  return Array.isArray(config) ? { on: DEFAULT_ESCALATION_TRIGGERS, levels: config } : config;
}
export type Reminder = z.output<typeof reminder>;
export type NotifyConfig = z.output<typeof notify>;
