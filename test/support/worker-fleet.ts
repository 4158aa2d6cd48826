// Several `gantry worker` processes sharing one Postgres journal, as several Gantry instances on different
// machines would: start them, SIGKILL or freeze one, restart a slot, and map engine holder ids back to them.

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { GANTRY_MAIN } from './cli.js';

export interface FleetWorker {
  slot: number;
  /** `w<slot>.<generation>`, exported to steps as INSTANCE. */
  instance: string;
  child: ChildProcess;
  pid: number;
  output: string[];
  exited: boolean;
}

export interface FleetOptions {
  size: number;
  databaseUrl: string;
  /** Each worker gets its own GANTRY_HOME below this, as separate machines would have. */
  dir: string;
  leaseTtl: string;
  pollMs: number;
  env: NodeJS.ProcessEnv;
}

export class WorkerFleet {
  readonly workers: FleetWorker[] = [];
  /** Every worker ever started, by pid: holder ids name the pid. */
  readonly byPid = new Map<number, FleetWorker>();
  private generation = 0;

  constructor(private readonly options: FleetOptions) {
    for (let slot = 0; slot < options.size; slot++) this.start(slot);
  }

  start(slot: number): FleetWorker {
    const instance = `w${slot}.${this.generation++}`;
    const child = spawn(
      process.execPath,
      [GANTRY_MAIN, 'worker', '--lease-ttl', this.options.leaseTtl, '--poll-ms', String(this.options.pollMs)],
      {
        env: {
          ...process.env,
          ...this.options.env,
          GANTRY_DATABASE_URL: this.options.databaseUrl,
          GANTRY_HOME: join(this.options.dir, `home-${slot}`),
          INSTANCE: instance,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const worker: FleetWorker = { slot, instance, child, pid: child.pid ?? -1, output: [], exited: false };
    const keep = (chunk: Buffer) => worker.output.push(chunk.toString());
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => {
      worker.exited = true;
    });
    this.workers[slot] = worker;
    this.byPid.set(worker.pid, worker);
    return worker;
  }

  /** SIGKILLs the worker with this pid and starts a new one in its slot. */
  killAndReplace(pid: number): FleetWorker | undefined {
    const worker = this.workers.find((w) => w.pid === pid && !w.exited);
    if (!worker) return undefined;
    worker.child.kill('SIGKILL');
    this.start(worker.slot);
    return worker;
  }

  live(pid: number): boolean {
    return this.workers.some((w) => w.pid === pid && !w.exited);
  }

  async stop(): Promise<void> {
    for (const worker of this.byPid.values()) {
      if (worker.exited) continue;
      worker.child.kill('SIGCONT');
      worker.child.kill('SIGKILL');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The pid inside an engine holder id (`host:pid:random`). */
export function pidOfHolder(holderId: string): number | undefined {
  const parts = holderId.split(':');
  const pid = Number(parts[parts.length - 2]);
  return Number.isInteger(pid) ? pid : undefined;
}

export function isHolderId(actor: string | null): actor is string {
  return actor !== null && /:\d+:[0-9a-f]{6}$/.test(actor);
}
