// What every verb needs: the state directory, the journal or the server it talks to, and who is acting.

import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { GantryError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { openJournal } from '../journal/open.js';
import { HttpOperations } from '../operations/http-operations.js';
import { JournalOperations } from '../operations/journal-operations.js';
import type { Operations } from '../operations/operations.js';
import { logPathOf, spawnDriver } from './driver.js';
import { ensureEngine } from './engine-check.js';

export function gantryHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.GANTRY_HOME ?? '.gantry');
}

export async function withJournal<T>(use: (journal: Journal) => Promise<T>): Promise<T> {
  const journal = await openJournal({ databaseUrl: process.env.GANTRY_DATABASE_URL, home: gantryHome() });
  try {
    return await use(journal);
  } finally {
    await journal.close();
  }
}

/** `--as`, else GANTRY_USER, else the OS user. */
export function actingUser(as?: string): string {
  return as ?? process.env.GANTRY_USER ?? userInfo().username;
}

let serverFromOption: string | undefined;

/** The verbs named (those that work through `withOperations`) get `--server URL`, as GANTRY_SERVER. */
export function addServerOption(program: Command, serverVerbs: readonly string[]): void {
  const visit = (command: Command) => {
    if (command.commands.length > 0) return command.commands.forEach(visit);
    command.addOption(
      new Option('--server <url>', 'talk to this gantry server (token in GANTRY_TOKEN)').env('GANTRY_SERVER'),
    );
    command.hook('preAction', (self) => {
      serverFromOption = self.opts().server as string | undefined;
    });
  };
  program.commands.filter((command) => serverVerbs.includes(command.name())).forEach(visit);
}

/**
 * Runs a verb against the server named by --server / GANTRY_SERVER (with GANTRY_TOKEN), or else against
 * the local journal, where new and answered deployments get a detached engine process on this machine.
 */
export async function withOperations<T>(use: (operations: Operations) => Promise<T>): Promise<T> {
  const server = serverFromOption ?? process.env.GANTRY_SERVER;
  if (server) {
    const token = process.env.GANTRY_TOKEN;
    if (!token) {
      throw new GantryError('GANTRY_UNAUTHENTICATED', `talking to ${server} needs a token`, {
        hint: 'set GANTRY_TOKEN to a token from `gantry token create --user NAME`',
      });
    }
    return use(new HttpOperations(server, token));
  }
  return withJournal((journal) =>
    use(
      new JournalOperations(journal, {
        identity: actingUser,
        engines: {
          started: (id) => spawnDriver(id),
          ensure: ensureEngine.bind(null, journal),
          logPath: logPathOf,
        },
      }),
    ),
  );
}
