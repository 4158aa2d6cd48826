// The file Gantry writes for nginx holds its own record: a comment line with the applied state as JSON
// above the configuration rendered from it. Reading the file is reading what was applied; it is replaced
// atomically (write beside it, then rename), and put back as it was when `nginx -t` refuses the new one.

import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { GantryError, toError } from '../../errors.js';
import { type AppliedState, emptyState } from '../applied-state.js';

const STATE_PREFIX = '# gantry-state: ';

export function configFileText(
  service: string,
  environment: string,
  state: AppliedState,
  routing: string,
): string {
  return [
    `# Written by Gantry for ${service} (${environment}): every deployment rewrites this file, do not edit it.`,
    `${STATE_PREFIX}${JSON.stringify(state)}`,
    '',
    routing,
  ].join('\n');
}

/** The state recorded in a file Gantry wrote; undefined for no file. */
export function stateOfConfig(text: string | undefined, path: string): AppliedState | undefined {
  if (text === undefined) return undefined;
  const line = text.split('\n').find((l) => l.startsWith(STATE_PREFIX));
  try {
    if (!line) throw new Error(`no "${STATE_PREFIX.trim()}" line`);
    return { ...emptyState(), ...(JSON.parse(line.slice(STATE_PREFIX.length)) as AppliedState) };
  } catch (thrown) {
    throw new GantryError(
      'GANTRY_TARGET',
      `${path} was not written by Gantry, or was edited: ${toError(thrown).message}`,
      {
        where: path,
        hint: 'point target.nginx.config at a file of its own, included from the http block; Gantry rewrites it whole',
      },
    );
  }
}

export async function readConfigFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw thrown;
  }
}

/** Replaces the file whole; `undefined` removes it (restoring "no file"). */
export async function writeConfigFile(path: string, text: string | undefined): Promise<void> {
  if (text === undefined) {
    await rm(path, { force: true });
    return;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
