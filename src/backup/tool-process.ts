// Runs one backup tool (pg_dump, pg_restore, tar): the archive streamed from a file to its stdin or from its
// stdout to a file (hashed on the way), stderr kept for the error message, stopped on abort or timeout.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OutputTail } from '../steps/output-tail.js';

/** A tool invocation as data: argv (never a password) and the environment it adds (PGPASSWORD). */
export interface ToolCommand {
  argv: string[];
  env: Record<string, string>;
}

export interface ToolRun {
  command: ToolCommand;
  /** A file streamed to the tool's stdin. */
  stdinFrom?: string;
  /** A file the tool's stdout goes to; its SHA-256 and size are computed on the way. */
  stdoutTo?: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Hides the plan's secrets in what the tool printed. */
  redact: (text: string) => string;
}

export type ToolOutcome =
  | { ok: true; stdout: string; written?: Written }
  | { ok: false; code: 'GANTRY_STEP_FAILED' | 'GANTRY_TIMEOUT' | 'GANTRY_ABORTED'; problem: string };

export interface Written {
  sha256: string;
  bytes: number;
}

const KILL_GRACE_MS = 5_000;
const MAX_STDOUT_CHARS = 4_000_000;

export async function runTool(run: ToolRun): Promise<ToolOutcome> {
  const [tool = '', ...args] = run.command.argv;
  const hidden = Object.values(run.command.env).filter((value) => value.length >= 3);
  const redact = (text: string) =>
    run.redact(hidden.reduce((out, value) => out.split(value).join('***'), text));
  const child = spawn(tool, args, { env: { ...process.env, ...run.command.env }, stdio: 'pipe' });
  // A tool that exits (or never starts) while its stdin is open makes the pipe fail; its exit status says why.
  child.stdin.on('error', () => {});
  const stderr = new OutputTail(4_096);
  child.stderr.on('data', (chunk: Buffer) => stderr.push(redact(chunk.toString('utf8'))));
  let stdout = '';
  let written: Written | undefined;
  const output = run.stdoutTo
    ? writeHashed(child.stdout, run.stdoutTo).then((result) => {
        written = result;
      })
    : collect(child.stdout, (text) => {
        stdout = text;
      });
  // The tool may stop reading early (an error); a broken pipe then is its exit status's business, not ours.
  if (run.stdinFrom) pipeline(createReadStream(run.stdinFrom), child.stdin).catch(() => {});
  else child.stdin.end();

  let stopped: 'timeout' | 'abort' | undefined;
  const stop = (why: 'timeout' | 'abort') => {
    stopped ??= why;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
  };
  const timer = setTimeout(() => stop('timeout'), run.timeoutMs);
  const onAbort = () => stop('abort');
  if (run.signal.aborted) onAbort();
  else run.signal.addEventListener('abort', onAbort, { once: true });

  const exit = await new Promise<{ code: number | null; signal: string | null; error?: Error }>((done) => {
    child.on('error', (error) => done({ code: null, signal: null, error }));
    child.on('close', (code, signal) => done({ code, signal }));
  });
  clearTimeout(timer);
  run.signal.removeEventListener('abort', onAbort);
  const outputError = await output.then(
    () => undefined,
    (error: Error) => error,
  );

  if (exit.error) return { ok: false, code: 'GANTRY_STEP_FAILED', problem: notStarted(tool, exit.error) };
  if (stopped === 'timeout')
    return { ok: false, code: 'GANTRY_TIMEOUT', problem: `${tool} did not finish within ${run.timeoutMs}ms` };
  if (stopped === 'abort') return { ok: false, code: 'GANTRY_ABORTED', problem: `${tool} was stopped` };
  if (exit.code !== 0) {
    const how = exit.code === null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const last = stderr.lastLine();
    return { ok: false, code: 'GANTRY_STEP_FAILED', problem: `${tool} ${how}${last ? `: ${last}` : ''}` };
  }
  if (outputError)
    return {
      ok: false,
      code: 'GANTRY_STEP_FAILED',
      problem: `writing ${run.stdoutTo}: ${outputError.message}`,
    };
  return { ok: true, stdout, ...(written ? { written } : {}) };
}

/** Writes a stream to a file, computing its SHA-256 and size on the way. */
async function writeHashed(source: NodeJS.ReadableStream, path: string): Promise<Written> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(source, tap, createWriteStream(path, { flags: 'wx' }));
  return { sha256: hash.digest('hex'), bytes };
}

async function collect(source: NodeJS.ReadableStream, done: (text: string) => void): Promise<void> {
  let text = '';
  for await (const chunk of source) {
    if (text.length < MAX_STDOUT_CHARS) text += chunk.toString();
  }
  done(text);
}

function notStarted(tool: string, error: Error): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
    ? `${tool} is not installed on this machine (install the PostgreSQL client tools, e.g. apt-get install postgresql-client)`
    : `could not start ${tool}: ${error.message}`;
}
