// Reads CPU time, resident memory and start time of a process (and its descendants) from Linux /proc.
// Elsewhere these read nothing and the resource statistics stay empty.

import { readFile } from 'node:fs/promises';

/** Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream architecture. */
export const CLOCK_TICKS_PER_SEC = 100;

export interface ProcStat {
  pid: number;
  /** R, S, D, Z (zombie), T… */
  state: string;
  cpuTicks: number;
  /** Start time in ticks since boot: with the pid, identifies one process across pid reuse. */
  startTicks: number;
}

/** Parses /proc/PID/stat. The command name may contain spaces and parentheses: fields start after the last ")". */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close === -1) return undefined;
  const pid = Number.parseInt(text, 10);
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime 15, starttime 22.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const start = Number(fields[19]);
  if (!Number.isFinite(pid) || !Number.isFinite(utime) || !Number.isFinite(start)) return undefined;
  return { pid, state: fields[0] ?? '?', cpuTicks: utime + stime, startTicks: start };
}

/** VmRSS from /proc/PID/status, in bytes. */
export function parseRssBytes(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export interface TreeUsage {
  cpuTicks: number;
  rssBytes: number;
  processes: number;
}

/** CPU ticks and resident memory of `pid` and its descendants (e.g. `sh -c` and the server it started). */
export async function readTreeUsage(pid: number, depth = 4): Promise<TreeUsage | undefined> {
  const stat = await readProcStat(pid);
  if (!stat || stat.state === 'Z') return undefined;
  const usage: TreeUsage = { cpuTicks: stat.cpuTicks, rssBytes: 0, processes: 1 };
  try {
    usage.rssBytes = parseRssBytes(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
  if (depth === 0) return usage;
  for (const child of await childrenOf(pid)) {
    const sub = await readTreeUsage(child, depth - 1);
    if (!sub) continue;
    usage.cpuTicks += sub.cpuTicks;
    usage.rssBytes += sub.rssBytes;
    usage.processes += sub.processes;
  }
  return usage;
}

async function childrenOf(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text
      .split(' ')
      .filter((s) => s.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}
