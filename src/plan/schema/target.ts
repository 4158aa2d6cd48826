// Where the versions run and traffic is split: `local` drives gantry-proxy, `command` runs the plan's shell
// commands (kubectl, vercel, systemctl…), `nginx` writes and reloads an nginx configuration.

import { z } from 'zod';
import { commandTarget } from './command-target.js';
import { duration, template } from './common.js';
import { healthCheck } from './health-check.js';
import { nginxTarget } from './nginx-target.js';

export { healthCheck } from './health-check.js';

export const localTarget = z.strictObject({
  run: template.meta({
    description: 'Command started per instance with PORT, GANTRY_VERSION, GANTRY_INSTANCE.',
  }),
  cwd: z.string().optional().meta({ description: "Working directory, relative to the plan file's folder." }),
  env: z.record(z.string(), template).default({}).meta({ description: 'Extra environment variables.' }),
  instances: z.int().min(1).max(64).default(1).meta({ description: 'Instances of each version.' }),
  listen: z
    .string()
    .regex(/^[^:]+:\d+$/, 'expected host:port, such as 127.0.0.1:8080')
    .meta({ description: 'Where users reach the service.' }),
  health: healthCheck.prefault({}).meta({ description: 'How gantry-proxy decides an instance is ready.' }),
  memoryLimit: z
    .string()
    .regex(/^\d+(\.\d+)?(B|KiB|MiB|GiB)$/, 'expected a size such as 512MiB')
    .optional()
    .meta({ description: 'What `memory` percentages are measured against.' }),
  drainTimeout: duration
    .prefault('10s')
    .meta({ description: 'How long an instance taken out of rotation may finish its requests.' }),
  versions: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a version name: letters, digits, ".", "_" or "-"'),
      z.strictObject({
        env: z
          .record(z.string(), template)
          .default({})
          .meta({ description: 'Environment variables for this version only, over `env`.' }),
      }),
    )
    .default({})
    .meta({
      description:
        'Settings of particular versions, by version name, such as a feature flag only the new version reads.',
    }),
});

export const target = z
  .union([
    z.strictObject({
      local: localTarget.meta({
        description: 'Run versions as local processes behind gantry-proxy (`gantry proxy`).',
      }),
    }),
    z.strictObject({
      command: commandTarget.meta({
        description:
          'Run shell commands for each data-plane operation: kubectl, the Vercel CLI, systemctl… (see docs/targets.md).',
      }),
    }),
    z.strictObject({
      nginx: nginxTarget.meta({
        description:
          'Split traffic with nginx: Gantry writes weighted upstreams for two slots and reloads nginx (see docs/targets.md).',
      }),
    }),
  ])
  .meta({ title: 'target', description: 'The data plane: where versions run and traffic is split.' });

export type LocalTarget = z.output<typeof localTarget>;
export type Target = z.output<typeof target>;
