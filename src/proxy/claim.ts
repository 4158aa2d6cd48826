// One proxy per state directory: refuse to start when another answers on the admin socket, clear a stale
// socket left by one that died, and record our pid.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { GantryError } from '../errors.js';
import type { ProxyHome } from './home.js';

export async function claimHome(paths: ProxyHome): Promise<void> {
  if (await answers(paths.socketPath)) {
    const pid = (await readFile(paths.pidPath, 'utf8').catch(() => '?')).trim();
    throw new GantryError(
      'GANTRY_INVALID_STATE',
      `a gantry-proxy (pid ${pid}) is already running for ${paths.home}`,
      {
        where: paths.socketPath,
        hint: `use it, or stop it first (kill ${pid}); one proxy serves every service of a state directory`,
      },
    );
  }
  await rm(paths.socketPath, { force: true });
  await writeFile(paths.pidPath, `${process.pid}\n`);
}

export async function releaseHome(paths: ProxyHome): Promise<void> {
  await rm(paths.socketPath, { force: true });
  const pid = (await readFile(paths.pidPath, 'utf8').catch(() => '')).trim();
  if (pid === String(process.pid)) await rm(paths.pidPath, { force: true });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}
