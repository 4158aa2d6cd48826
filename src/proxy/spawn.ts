// Starting a detached gantry-proxy: the command as data (tested by equality), the spawn, and the wait for its
// admin socket to answer.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GantryError } from '../errors.js';
import { AdminClient } from './admin-client.js';
import { proxyHome } from './home.js';
import { tailOf } from './supervisor/log-file.js';

export interface DaemonCommandInput {
  home: string;
  admin?: string;
  metrics?: string;
  /** The daemon entry file; default main.js beside this module (main.ts when running from sources). */
  entry?: string;
  /** Node flags, e.g. a TypeScript loader; default none for compiled code, `--import tsx` for sources. */
  nodeArgs?: string[];
}

export interface DaemonCommand {
  command: string;
  args: string[];
}

export function daemonCommand(input: DaemonCommandInput, nodePath = process.execPath): DaemonCommand {
  const here = fileURLToPath(import.meta.url);
  const fromSources = here.endsWith('.ts');
  const entry = input.entry ?? join(dirname(here), fromSources ? 'main.ts' : 'main.js');
  // From sources (tests, tsx) the daemon needs a TypeScript loader too: tsx, the repository's dev dependency.
  const nodeArgs = input.nodeArgs ?? (fromSources ? ['--import', tsxLoader()] : []);
  const args = [...nodeArgs, entry, '--home', input.home];
  if (input.admin) args.push('--admin', input.admin);
  if (input.metrics) args.push('--metrics', input.metrics);
  return { command: nodePath, args };
}

/** tsx as an absolute URL, so the daemon finds it whatever its working directory. */
function tsxLoader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return 'tsx';
  }
}

/** Spawns the daemon in its own session, its output appended to <home>/logs/proxy.log. */
export function spawnDetachedProxy(input: DaemonCommandInput): {
  pid: number | undefined;
  exited: () => boolean;
} {
  const paths = proxyHome(input.home);
  mkdirSync(paths.logsDir, { recursive: true });
  const log = openSync(paths.daemonLogPath, 'a');
  const { command, args } = daemonCommand({ ...input, home: paths.home });
  let exited = false;
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, GANTRY_HOME: paths.home },
    });
    child.once('exit', () => {
      exited = true;
    });
    child.unref();
    return { pid: child.pid, exited: () => exited };
  } finally {
    closeSync(log);
  }
}

/** Polls the admin socket until the proxy answers, the spawned process exits, or the time is up. */
export async function waitForProxy(
  home: string,
  options: { timeoutMs?: number; exited?: () => boolean } = {},
): Promise<AdminClient> {
  const paths = proxyHome(home);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (options.exited?.()) break;
    try {
      const client = await AdminClient.forHome(home);
      await client.health();
      return client;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const tail = await tailOf(paths.daemonLogPath, 15);
  const why = options.exited?.()
    ? 'exited before its admin socket answered'
    : `did not answer within ${options.timeoutMs ?? 30_000} ms (${last})`;
  throw new GantryError(
    'GANTRY_TARGET',
    `gantry-proxy for ${paths.home} ${why}${tail ? `\n--- last lines of ${paths.daemonLogPath} ---\n${tail}` : ''}`,
    {
      where: paths.daemonLogPath,
      hint: `read ${paths.daemonLogPath}; run "gantry proxy" in the foreground to see it start`,
    },
  );
}
