// A data-plane command as data (STYLE 5: rendered by pure functions, compared by equality in tests) and
// the thin layer that runs it: /bin/sh -c in its own process group, a timeout, output logged redacted.

import { spawn } from 'node:child_process';
import { GantryError } from '../errors.js';
import { OutputTail } from '../steps/output-tail.js';

export interface ShellCommand {
  /** What the command does, for logs and errors: "target.command.start for v2 in green". */
  purpose: string;
  /** Where it comes from in the plan: "target.command.start". */
  source: string;
  argv: string[];
  /** Variables the command gets on top of Gantry's own environment. */
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
}

export interface CommandOutcome {
  /** null when it was killed (timeout) or could not start. */
  exitCode: number | null;
  /** The last few kilobytes of stdout and stderr, redacted. */
  output: string;
  /** Why it did not exit by itself: "timed out after 600000ms", "could not start: …". */
  failure?: string;
}

/** Runs commands; tests inject one that records them instead. */
export type CommandRunner = (command: ShellCommand) => Promise<CommandOutcome>;

export interface RunnerOptions {
  redact: (text: string) => string;
  /** A line in the deployment's log. */
  log: (line: string) => void;
  baseEnv?: NodeJS.ProcessEnv;
}

const KILL_GRACE_MS = 5_000;

export function shellRunner(options: RunnerOptions): CommandRunner {
  return (command) =>
    new Promise((resolve) => {
      const tail = new OutputTail(4_096);
      options.log(`$ ${options.redact(command.argv.at(-1) ?? '')}`);
      const child = spawn(command.argv[0] as string, command.argv.slice(1), {
        cwd: command.cwd,
        env: { ...(options.baseEnv ?? process.env), ...command.env },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const onOutput = (chunk: Buffer) => {
        const text = options.redact(chunk.toString('utf8'));
        tail.push(text);
        for (const line of text.split('\n')) if (line !== '') options.log(`  │ ${line}`);
      };
      child.stdout.on('data', onOutput);
      child.stderr.on('data', onOutput);
      let failure: string | undefined;
      const timer = setTimeout(() => {
        failure = `timed out after ${command.timeoutMs}ms`;
        killGroup(child.pid, 'SIGTERM');
        setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
      }, command.timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ exitCode: null, output: tail.text(), failure: `could not start: ${error.message}` });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ exitCode: failure ? null : code, output: tail.text(), ...(failure ? { failure } : {}) });
      });
    });
}

/** Runs a command and returns its output, or throws GANTRY_TARGET with the output's last lines. */
export async function runOrFail(runner: CommandRunner, command: ShellCommand): Promise<string> {
  const outcome = await runner(command);
  if (outcome.exitCode === 0) return outcome.output;
  const how = outcome.failure ?? `exited with code ${outcome.exitCode}`;
  const lines = outcome.output.trimEnd().split('\n').slice(-15).join('\n');
  throw new GantryError(
    'GANTRY_TARGET',
    `${command.purpose}: the command ${how}${lines ? `:\n${lines}` : ' with no output'}`,
    {
      where: command.source,
      hint: 'fix the command or what it talks to, then deploy again: the commands are declarative, so repeating them is safe',
      context: { exitCode: outcome.exitCode },
    },
  );
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
