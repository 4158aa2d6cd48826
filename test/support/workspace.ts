// A throwaway state directory with a SQLite journal and plan files, for tests of the engine and the CLI.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Journal } from '../../src/journal/journal.js';
import { openJournal } from '../../src/journal/open.js';
import { killProcessesOf } from './processes.js';

export interface Workspace {
  dir: string;
  home: string;
  writePlan(name: string, yaml: string): string;
  openJournal(): Promise<Journal>;
  remove(): void;
}

export function workspace(prefix = 'gantry-test-'): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const home = join(dir, '.gantry');
  return {
    dir,
    home,
    writePlan(name, yaml) {
      const path = join(dir, name);
      writeFileSync(path, yaml);
      return path;
    },
    openJournal: () => openJournal({ home }),
    remove: () => {
      // Engines and proxies a test started outlive it when it fails half-way; none may outlive its files.
      killProcessesOf(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
