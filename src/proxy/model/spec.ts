// Validation and defaults of what the admin API accepts: names, service declarations, version specs.
// Parsing collects every problem and reports the path of each, so one round trip fixes a payload.

import { z } from 'zod';
import { GantryError } from '../../errors.js';
import type {
  DrainOptions,
  MaintenanceSettings,
  NormalizedVersionSpec,
  ServiceDeclaration,
  StopOptions,
  VersionSpec,
} from '../api.js';

export type { NormalizedVersionSpec };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const COOKIE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

export const DEFAULT_STICKY_COOKIE = 'gantry_version';
export const DEFAULT_CANARY_HEADER = 'X-Gantry-Canary';

const ms = (max: number) => z.number().int().min(0).max(max);

const serviceSchema = z.strictObject({
  listen: z.string().min(1),
  sticky: z.boolean().default(false),
  stickyCookie: z
    .string()
    .regex(COOKIE, "a cookie name: letters, digits and !#$%&'*+.^_`|~-")
    .default(DEFAULT_STICKY_COOKIE),
  canaryHeader: z
    .string()
    .regex(HEADER, "a header name: letters, digits and !#$%&'*+.^_`|~-")
    .default(DEFAULT_CANARY_HEADER),
});

const drainSchema = z.strictObject({
  drainTimeoutMs: ms(3_600_000).default(30_000),
  killAfterMs: ms(600_000).default(10_000),
});

const versionSchema = z.strictObject({
  command: z.string().min(1),
  instances: z.number().int().min(1).max(64),
  env: z.record(z.string(), z.string()).default({}),
  cwd: z.string().min(1).nullable().default(null),
  health: z.strictObject({
    path: z.string().startsWith('/'),
    expectStatus: z.number().int().min(100).max(599).default(200),
    intervalMs: ms(3_600_000).min(50).default(1000),
    timeoutMs: ms(600_000).min(10).default(1000),
    startupTimeoutMs: ms(3_600_000).min(100).default(30_000),
    unhealthyThreshold: z.number().int().min(1).max(100).default(2),
  }),
  memoryLimitBytes: z.number().int().positive().nullable().default(null),
  drain: drainSchema.default({ drainTimeoutMs: 30_000, killAfterMs: 10_000 }),
});

const stopSchema = z.strictObject({
  drainTimeoutMs: ms(3_600_000).optional(),
  killAfterMs: ms(600_000).optional(),
  force: z.boolean().default(false),
});

const maintenanceSchema = z.strictObject({
  enabled: z.boolean(),
  retryAfterSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400 * 7)
    .default(300),
  message: z.string().max(2000).nullable().default(null),
});

export function parseName(kind: 'service' | 'version', value: string): string {
  if (!NAME.test(value)) {
    throw new GantryError('GANTRY_USAGE', `"${value}" is not a valid ${kind} name`, {
      where: kind,
      hint: 'use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    });
  }
  return value;
}

export function parseServiceDeclaration(body: unknown): Required<ServiceDeclaration> {
  return parseWith(serviceSchema, body, 'service declaration');
}

export function parseVersionSpec(body: unknown): NormalizedVersionSpec {
  return parseWith(versionSchema, body, 'version spec');
}

export function parseStopOptions(body: unknown): StopOptions & { force: boolean } {
  return parseWith(stopSchema, body ?? {}, 'stop options');
}

export function parseMaintenance(
  body: unknown,
): Required<Omit<MaintenanceSettings, 'message'>> & { message: string | null } {
  return parseWith(maintenanceSchema, body, 'maintenance settings');
}

/** The drain settings of one operation: what the call says, else the version's defaults. */
export function drainOf(spec: NormalizedVersionSpec, given: DrainOptions): Required<DrainOptions> {
  return {
    drainTimeoutMs: given.drainTimeoutMs ?? spec.drain.drainTimeoutMs,
    killAfterMs: given.killAfterMs ?? spec.drain.killAfterMs,
  };
}

export function sameSpec(a: NormalizedVersionSpec, b: NormalizedVersionSpec): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
  );
  throw new GantryError('GANTRY_USAGE', `invalid ${what}: ${problems.join('; ')}`, {
    where: what,
    hint: 'see src/proxy/README.md for the payloads the admin API accepts',
    context: { problems },
  });
}

export type { VersionSpec };
