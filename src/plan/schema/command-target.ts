// The `command` target: every data-plane operation is a shell command template of the plan (kubectl, the
// Vercel CLI, systemctl…). Which `${…}` variables each operation may use is in ../target-variables.ts.

import { z } from 'zod';
import { duration, name, template } from './common.js';

const operation = (description: string) => template.optional().meta({ description });

export const commandTarget = z.strictObject({
  start: template.meta({
    description:
      'Runs a version and returns once it is ready, declaratively (`kubectl set image … && kubectl rollout status …`). canary and blueGreen run it in the free slot `${color}`; rolling and recreate replace the running version in place.',
  }),
  stop: operation(
    'Stops a version (`kubectl scale deployment/api-${color} --replicas=0`). Without it, a stopped version only leaves the traffic and keeps running. recreate needs it.',
  ),
  setTraffic: operation(
    "Sets each version's share of traffic: `${weight.new}`, `${weight.old}`, `${weight.blue}`… in percent. Runs for every split, 100/0 included. canary needs it.",
  ),
  switch: operation(
    'Sends all traffic to one slot, for data planes that cannot split it (a Service selector): `${to.color}` gets it, `${from.color}` loses it; a rollback switches back the same way. Use it or setTraffic, not both.',
  ),
  headerRoute: operation(
    'Routes requests with the canary header to `${headerRoute.version}` (or points a preview service at `${headerRoute.color}`); `${headerRoute.enabled}` is false to undo it. Needed by headerRoute steps and by checks that send the canary header.',
  ),
  maintenance: operation(
    'Turns the maintenance page on or off: `${maintenance.enabled}`, `${maintenance.message}`, `${maintenance.retryAfter}` (seconds). Needed by maintenance steps, recreate and restores that stop traffic.',
  ),
  describe: operation(
    'Prints the data plane\'s state as JSON, `{"versions": [{"version": "v2", "color": "green", "instances": 3, "trafficPct": 10}], "maintenance": false}`; every key but `version` may be left out. Without it, Gantry uses its own record of what it applied.',
  ),
  instances: z
    .int()
    .min(1)
    .max(1000)
    .default(1)
    .meta({ description: 'Instances (replicas) of each version: `${instances}` in `start`.' }),
  colors: z
    .array(name)
    .length(2, 'name exactly two colors, such as [blue, green]')
    .default(['blue', 'green'])
    .refine(([a, b]) => a !== b, 'the two colors must differ')
    .meta({ description: 'Names of the two slots versions alternate between (canary, blueGreen).' }),
  address: z
    .string()
    .optional()
    .meta({ description: 'Where users reach the service, such as https://api.example.com (shown only).' }),
  canaryHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'a header name: letters, digits and "-"')
    .default('X-Gantry-Canary')
    .meta({ description: 'The header that sends a request to the header-routed version.' }),
  cwd: z.string().optional().meta({ description: "Working directory, relative to the plan file's folder." }),
  env: z
    .record(z.string(), template)
    .default({})
    .meta({ description: 'Extra environment variables for every command.' }),
  timeout: duration
    .prefault('10m')
    .meta({ description: 'A command still running after this is killed and its step fails.' }),
});

export type CommandTarget = z.output<typeof commandTarget>;

/** The operations a plan may define, in the order docs and messages list them. */
export const COMMAND_OPERATIONS = [
  'start',
  'stop',
  'setTraffic',
  'switch',
  'headerRoute',
  'maintenance',
  'describe',
] as const;
export type CommandOperation = (typeof COMMAND_OPERATIONS)[number];
