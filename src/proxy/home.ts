// Where gantry-proxy keeps its files under the state directory (GANTRY_HOME, default `.gantry`).

import { join, resolve } from 'node:path';

export interface ProxyHome {
  home: string;
  socketPath: string;
  tokenPath: string;
  statePath: string;
  pidPath: string;
  logsDir: string;
  /** The daemon's own log when it runs detached. */
  daemonLogPath: string;
}

export function proxyHome(home: string): ProxyHome {
  const root = resolve(home);
  return {
    home: root,
    socketPath: join(root, 'proxy.sock'),
    tokenPath: join(root, 'proxy.token'),
    statePath: join(root, 'proxy-state.json'),
    pidPath: join(root, 'proxy.pid'),
    logsDir: join(root, 'logs'),
    daemonLogPath: join(root, 'logs', 'proxy.log'),
  };
}

/** `<logs>/<service>/<version>-<instance>.log`. */
export function instanceLogPath(paths: ProxyHome, service: string, version: string, index: number): string {
  return join(paths.logsDir, service, `${version}-${index}.log`);
}

/** GANTRY_HOME, else `.gantry` in the working directory (the same rule as the CLI). */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.GANTRY_HOME ?? '.gantry');
}
