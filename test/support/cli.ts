// Runs the built `gantry` CLI as a child process, the way a user does, against a test's state directory.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const GANTRY_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  home: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function gantry(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GANTRY_MAIN, ...args], {
      cwd: options.cwd,
      env: {
        ...process.env,
        GANTRY_USER: 'tester',
        ...options.env,
        GANTRY_HOME: options.home,
        GANTRY_DATABASE_URL: options.env?.GANTRY_DATABASE_URL ?? '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `gantry ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000}ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs gantry with `-o json` and parses stdout; fails the test with stderr when it is not JSON. */
export async function gantryJson<T = any>(
  args: string[],
  options: CliOptions,
): Promise<{ code: number | null; json: T; stderr: string }> {
  const result = await gantry([...args, '-o', 'json'], options);
  try {
    return { code: result.code, json: JSON.parse(result.stdout) as T, stderr: result.stderr };
  } catch {
    throw new Error(
      `gantry ${args.join(' ')} -o json printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
