// The `analysis` section: how rules are evaluated, and where metrics come from. Builtin metrics (error_rate,
// p95_latency, memory…) are read from gantry-proxy's statistics of a plan's local target; metrics declared
// under `prometheus.metrics` (builtin names included) are read from Prometheus with a PromQL template.

import { z } from 'zod';
import { duration, template } from './common.js';
import { rules } from './rules.js';

export const PROMQL_VARIABLES = ['service', 'environment', 'version', 'role', 'window'] as const;

const promqlTemplate = template.meta({
  description:
    "PromQL; {{service}}, {{environment}}, {{version}}, {{role}} (canary or stable) and {{window}} (the rule's window, such as 2m) are filled in.",
});

export const prometheusMetric = z
  .union([
    promqlTemplate.transform((query) => ({ query, requests: undefined as string | undefined })),
    z.strictObject({
      query: promqlTemplate,
      requests: promqlTemplate.optional().meta({
        description:
          'The number of requests behind the value over {{window}}: enables the minimum-sample guard and the sequential judge.',
      }),
    }),
  ])
  .meta({
    description:
      'A query returning one series: ratios as 0–1, times in seconds, sizes in bytes (Prometheus base units).',
  });

export const prometheusSource = z.strictObject({
  url: template.meta({ description: 'Base URL of the Prometheus HTTP API, such as http://127.0.0.1:9090.' }),
  auth: z
    .union([
      z.strictObject({
        bearer: template.meta({ description: 'A bearer token, such as a secret reference.' }),
      }),
      z.strictObject({
        basic: z.strictObject({ username: template, password: template }),
      }),
    ])
    .optional()
    .meta({ description: 'Credentials sent with every query.' }),
  timeout: duration.prefault('5s').meta({ description: 'A query slower than this is a measurement error.' }),
  window: duration.prefault('1m').meta({ description: "{{window}} for rules without a 'for' duration." }),
  metrics: z
    .record(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'metric names are lower_snake_case'), prometheusMetric)
    .default({})
    .meta({ description: 'Metrics read from Prometheus, by the name rules use.' }),
});

export const analysisSection = z
  .strictObject({
    interval: duration
      .prefault('5s')
      .meta({ description: 'How often the rules are evaluated during analysis steps.' }),
    rules: rules('rollback').prefault([]),
    consecutiveErrorLimit: z.int().min(1).max(100).default(3).meta({
      description:
        'Failed or empty queries in a row before a rule is inconclusive: the deployment pauses for a person, never passes.',
    }),
    prometheus: prometheusSource.optional().meta({
      description:
        'Where metrics named under `metrics` are read; builtin ones otherwise come from the target.',
    }),
  })
  .prefault({})
  .meta({
    description: 'How analysis steps judge the new version: rules with warn, pause or rollback tiers.',
  });

export type AnalysisSection = z.output<typeof analysisSection>;
export type PrometheusSource = z.output<typeof prometheusSource>;
export type PrometheusMetric = z.output<typeof prometheusMetric>;
