// The process behind an instance, whether this proxy spawned it (a child: exit events) or adopted it after
// a restart (not a child: its exit is noticed by polling). Either way it leads its own process group, so
// signals reach everything it started.

import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readProcStat } from './proc-stat.js';
import type { InstanceSpawnSpec } from './spawn-spec.js';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** Why it could not even start (e.g. a cwd that does not exist). */
  error?: string;
}

export interface ProcessHandle {
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  readonly hasExited: boolean;
  /** Signals the whole process group; a group that is already gone is fine. */
  signalGroup(signal: NodeJS.Signals): void;
}

export function describeExit(info: ExitInfo): string {
  if (info.error) return `could not start: ${info.error}`;
  if (info.signal) return `was killed by ${info.signal}`;
  return `exited with code ${info.code}`;
}

abstract class BaseHandle implements ProcessHandle {
  hasExited = false;
  abstract readonly exited: Promise<ExitInfo>;
  constructor(readonly pid: number) {}

  signalGroup(signal: NodeJS.Signals): void {
    if (this.hasExited) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      try {
        process.kill(this.pid, signal);
      } catch {
        // Already gone.
      }
    }
  }
}

class ChildHandle extends BaseHandle {
  readonly exited: Promise<ExitInfo>;
  constructor(pid: number, exited: Promise<ExitInfo>) {
    super(pid);
    this.exited = exited.then((info) => {
      this.hasExited = true;
      return info;
    });
  }
}

/** Starts the instance in its own process group (detached), stdout and stderr appended to its log. */
export async function spawnInstanceProcess(spec: InstanceSpawnSpec, logPath: string): Promise<ProcessHandle> {
  const log = openSync(logPath, 'a');
  try {
    const child = spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error: error.message }));
    });
    if (child.pid === undefined) {
      const info = await exited;
      throw new Error(describeExit(info));
    }
    // Instances may outlive this proxy (handed to the next one): they must not keep it running.
    child.unref();
    return new ChildHandle(child.pid, exited);
  } finally {
    closeSync(log);
  }
}

class AdoptedHandle extends BaseHandle {
  readonly exited: Promise<ExitInfo>;
  constructor(pid: number, startTicks: number | null, pollMs: number) {
    super(pid);
    this.exited = new Promise((resolve) => {
      const timer = setInterval(async () => {
        if (await isSameProcessAlive(pid, startTicks)) return;
        clearInterval(timer);
        this.hasExited = true;
        // Not our child: its exit status went to its new parent.
        resolve({ code: null, signal: null });
      }, pollMs);
      timer.unref();
    });
  }
}

/** Takes over a process a previous proxy started. Its exit is noticed within `pollMs`. */
export function adoptProcess(pid: number, startTicks: number | null, pollMs = 250): ProcessHandle {
  return new AdoptedHandle(pid, startTicks, pollMs);
}

/** The pid exists, is not a zombie, and (when known) started when the recorded process did. */
export async function isSameProcessAlive(pid: number, startTicks: number | null): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = await readProcStat(pid);
  if (stat === undefined) return process.platform !== 'linux';
  if (stat.state === 'Z') return false;
  return startTicks === null || stat.startTicks === startTicks;
}

/** SIGTERM to the group, SIGKILL after `killAfterMs`, then wait (bounded) for the exit. */
export async function terminate(handle: ProcessHandle, killAfterMs: number): Promise<void> {
  handle.signalGroup('SIGTERM');
  if (await settlesWithin(handle.exited, killAfterMs)) return;
  handle.signalGroup('SIGKILL');
  await settlesWithin(handle.exited, 5000);
}

/** Resolves true if `promise` settled within `ms`, false otherwise. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
