// How verbs talk to the terminal: text for people, `-o json` for scripts, errors on stderr with exit codes.

import { formatError, GantryError, toError } from '../errors.js';

export type OutputFormat = 'text' | 'json';

export interface OutputOptions {
  output?: string;
}

export function formatOf(options: OutputOptions): OutputFormat {
  if (options.output === undefined || options.output === 'text') return 'text';
  if (options.output === 'json') return 'json';
  throw new GantryError('GANTRY_USAGE', `unknown output format "${options.output}"`, {
    hint: 'use -o text or -o json',
  });
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Prints an error the way the chosen format wants it and returns the exit code (2: bad input or could not run). */
export function reportError(thrown: unknown, format: OutputFormat): number {
  const error = toError(thrown);
  if (format === 'json') {
    const body =
      error instanceof GantryError ? error.toJSON() : { code: 'GANTRY_INTERNAL', message: error.message };
    process.stdout.write(`${JSON.stringify({ error: body }, null, 2)}\n`);
  } else {
    process.stderr.write(`${formatError(error)}\n`);
  }
  if (!(error instanceof GantryError) && process.env.GANTRY_DEBUG) process.stderr.write(`${error.stack}\n`);
  return 2;
}
