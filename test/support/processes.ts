// Processes that belong to a test's state directory (engines, proxies, app instances started for it),
// found through /proc by their command line or GANTRY_HOME, so a test can check and clean up after itself.

import { readdirSync, readFileSync } from 'node:fs';

export interface OwnedProcess {
  pid: number;
  command: string;
}

export function processesOf(home: string): OwnedProcess[] {
  const found: OwnedProcess[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (command.includes(home) || env.includes(`GANTRY_HOME=${home}`)) found.push({ pid, command });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** SIGKILLs every process of the state directory; returns what it killed. */
export function killProcessesOf(home: string): OwnedProcess[] {
  const owned = processesOf(home);
  for (const { pid } of owned) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return owned;
}
