// Starts a detached engine process (`gantry worker --deployment ID`) that drives one deployment and
// outlives the command that started it; its log goes to <GANTRY_HOME>/logs/ID.log.

import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gantryHome } from './context.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

export function logPathOf(deploymentId: string): string {
  return join(gantryHome(), 'logs', `${deploymentId}.log`);
}

export function spawnDriver(deploymentId: string, extraArgs: string[] = []): number | undefined {
  const logDir = join(gantryHome(), 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = openSync(logPathOf(deploymentId), 'a');
  const child = spawn(process.execPath, [MAIN, 'worker', '--deployment', deploymentId, ...extraArgs], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, GANTRY_HOME: gantryHome() },
  });
  child.unref();
  return child.pid;
}
