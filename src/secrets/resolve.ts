// Resolves the plan's secret references from environment variables or files at deploy start.
// Values stay in memory only; the journal and every output see them redacted.

import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { GantryError } from '../errors.js';
import type { Plan } from '../plan/schema/plan.js';

export type SecretValues = ReadonlyMap<string, string>;

export function resolveSecrets(
  declared: Plan['secrets'],
  env: NodeJS.ProcessEnv,
  planDir: string,
): SecretValues {
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const [name, source] of Object.entries(declared)) {
    const value = 'env' in source ? env[source.env] : readSecretFile(resolvePath(source.file, planDir));
    if (value === undefined || value === '') missing.push(describeMissing(name, source));
    else values.set(name, value);
  }
  if (missing.length > 0) {
    throw new GantryError(
      'GANTRY_SECRET_MISSING',
      `missing secret${missing.length > 1 ? 's' : ''}: ${missing.join('; ')}`,
      {
        hint: 'set the environment variable or create the file, then deploy again (values are never printed)',
        context: { secrets: Object.keys(declared).filter((name) => !values.has(name)) },
      },
    );
  }
  return values;
}

function resolvePath(path: string, planDir: string): string {
  return isAbsolute(path) ? path : resolve(planDir, path);
}

function readSecretFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch {
    return undefined;
  }
}

function describeMissing(name: string, source: { env: string } | { file: string }): string {
  return 'env' in source
    ? `${name} (environment variable ${source.env} is not set)`
    : `${name} (file ${source.file} is missing or empty)`;
}
