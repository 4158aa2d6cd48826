// `run`: a shell command in its own process group, with a timeout, captured and redacted output.

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { RunStep } from '../plan/schema/steps.js';
import { OutputTail } from './output-tail.js';
import { failure, type StepContext, type StepHandler, type StepResult } from './step.js';

const KILL_GRACE_MS = 5_000;

export const runHandler: StepHandler<RunStep> = {
  kind: 'run',
  idempotent: (spec) => spec.idempotent,
  retryPolicy: (spec) => ({ retries: spec.retries, backoffMs: spec.backoff }),
  run: runCommand,
};

async function runCommand(context: StepContext, spec: RunStep): Promise<StepResult> {
  const command = context.render(spec.run);
  const env = { ...process.env, ...gantryEnv(context), ...context.render(spec.env) };
  const cwd = spec.cwd ? resolve(context.planDir, spec.cwd) : context.planDir;
  const tail = new OutputTail(4_096);
  const child = spawn('/bin/sh', ['-c', command], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onOutput = (chunk: Buffer) => {
    const text = context.redact(chunk.toString('utf8'));
    tail.push(text);
    for (const line of text.split('\n')) if (line !== '') context.log(`  │ ${line}`);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);

  const outcome = await new Promise<{
    code: number | null;
    signal: string | null;
    reason?: string;
    spawnError?: Error;
  }>((done) => {
    let reason: string | undefined;
    const stop = (why: string) => {
      reason = why;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => stop(`timed out after ${spec.timeout}ms`), spec.timeout);
    const onAbort = () => stop('stopped: the deployment was interrupted');
    context.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (spawnError) => done({ code: null, signal: null, spawnError }));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
      done({ code, signal, reason });
    });
  });

  const result = { exitCode: outcome.code, output: tail.text() };
  if (outcome.spawnError)
    return failure('GANTRY_STEP_FAILED', `could not start /bin/sh: ${outcome.spawnError.message}`);
  if (outcome.reason)
    return failure(
      outcome.reason.startsWith('timed') ? 'GANTRY_TIMEOUT' : 'GANTRY_ABORTED',
      `command ${outcome.reason}`,
      result,
    );
  if (outcome.code !== 0) {
    const how =
      outcome.code === null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
    const lastLine = tail.lastLine();
    return failure('GANTRY_STEP_FAILED', `command ${how}${lastLine ? `: ${lastLine}` : ''}`, result);
  }
  return { ok: true, result };
}

function gantryEnv(context: StepContext): Record<string, string> {
  const { deployment } = context;
  return {
    GANTRY_DEPLOYMENT_ID: deployment.id,
    GANTRY_SERVICE: deployment.service,
    GANTRY_ENVIRONMENT: deployment.environment,
    GANTRY_VERSION: deployment.version,
    GANTRY_PREVIOUS_VERSION: deployment.previousVersion ?? '',
    GANTRY_STEP_ID: context.step.id,
    GANTRY_ATTEMPT: String(context.attempt),
  };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
