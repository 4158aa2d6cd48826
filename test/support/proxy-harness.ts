// Runs a real gantry-proxy process (from the TypeScript sources, through tsx) on a temporary GANTRY_HOME,
// with the sample app as the service, for the proxy's integration tests.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdminClient } from '../../src/proxy/admin-client.js';
import type { VersionSpec } from '../../src/proxy/api.js';
import { waitForProxy } from '../../src/proxy/spawn.js';

export const SAMPLE_APP = fileURLToPath(new URL('../../examples/sample-app/server.js', import.meta.url));
export const PROXY_MAIN = fileURLToPath(new URL('../../src/proxy/main.ts', import.meta.url));
/** Node flags that let a child process run the TypeScript sources. */
export const TS_NODE_ARGS = ['--import', 'tsx'];

export function sampleAppCommand(): string {
  return `exec "${process.execPath}" "${SAMPLE_APP}"`;
}

/** A sample-app version with fast health checks and short drains, so tests run quickly. */
export function sampleSpec(overrides: Partial<VersionSpec> = {}): VersionSpec {
  return {
    command: sampleAppCommand(),
    instances: 1,
    ...overrides,
    health: {
      path: '/health',
      intervalMs: 200,
      timeoutMs: 1000,
      startupTimeoutMs: 15_000,
      ...overrides.health,
    },
    drain: { drainTimeoutMs: 5000, killAfterMs: 3000, ...overrides.drain },
  };
}

export async function tempHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'gantry-proxy-'));
}

export interface ProxyProcess {
  home: string;
  child: ChildProcess;
  client: AdminClient;
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
}

export async function startProxy(home: string, args: string[] = []): Promise<ProxyProcess> {
  const child = spawn(process.execPath, [...TS_NODE_ARGS, PROXY_MAIN, '--home', home, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GANTRY_HOME: home },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      hasExited = true;
      resolve(code);
    }),
  );
  const client = await waitForProxy(home, { timeoutMs: 20_000, exited: () => hasExited }).catch(
    (error: Error) => {
      throw new Error(`${error.message}\n--- proxy output ---\n${output}`);
    },
  );
  return {
    home,
    child,
    client,
    output: () => output,
    exited,
    stop: async () => {
      client.close();
      if (!hasExited) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Starts a proxy on a new home; `cleanup` stops it and removes the home. */
export async function withProxy(args: string[] = []): Promise<ProxyProcess & { cleanup(): Promise<void> }> {
  const home = await tempHome();
  const proxy = await startProxy(home, args);
  return {
    ...proxy,
    cleanup: async () => {
      await proxy.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Declares a service on a free loopback port and returns its base URL. */
export async function declareService(
  client: AdminClient,
  name: string,
  options: { sticky?: boolean; canaryHeader?: string } = {},
): Promise<string> {
  const state = await client.declareService(name, { listen: '127.0.0.1:0', ...options });
  return `http://${state.address}`;
}

/** Whether a process (group leader) still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export { AdminClient };
