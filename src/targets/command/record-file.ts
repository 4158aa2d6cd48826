// Where the command target keeps its record of what it applied: one JSON file per service and environment
// under GANTRY_HOME/targets/, replaced atomically (write, then rename) so a crash never leaves half a file.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GantryError, toError } from '../../errors.js';
import { type AppliedState, emptyState } from '../applied-state.js';

export interface StateStore {
  /** undefined when nothing was ever recorded for this service. */
  read(): Promise<AppliedState | undefined>;
  write(state: AppliedState): Promise<void>;
}

export function recordPath(home: string, service: string, environment: string): string {
  return join(home, 'targets', `${service}.${environment}.command.json`);
}

export function fileStateStore(path: string): StateStore {
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (thrown) {
        if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw thrown;
      }
      try {
        const parsed = JSON.parse(text) as AppliedState;
        if (!Array.isArray(parsed.versions) || typeof parsed.weights !== 'object')
          throw new Error('not a record');
        return { ...emptyState(), ...parsed };
      } catch (thrown) {
        throw new GantryError(
          'GANTRY_TARGET',
          `the command target's record ${path} is damaged: ${toError(thrown).message}`,
          {
            where: path,
            hint: 'remove the file: Gantry then knows only the version serving now (add a `describe` command to read the real state)',
          },
        );
      }
    },
    async write(state) {
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
      await rename(temporary, path);
    },
  };
}

/** A record in memory, for tests. */
export function memoryStateStore(
  initial?: AppliedState,
): StateStore & { current(): AppliedState | undefined } {
  let state = initial && structuredClone(initial);
  return {
    read: async () => state && structuredClone(state),
    write: async (next) => {
      state = structuredClone(next);
    },
    current: () => state && structuredClone(state),
  };
}
