// ensureProxy(home): the proxy of a state directory, started detached if none answers. The `local` target
// calls this before it declares services.

import { AdminClient } from './admin-client.js';
import { type DaemonCommandInput, spawnDetachedProxy, waitForProxy } from './spawn.js';

export interface EnsureOptions extends Omit<DaemonCommandInput, 'home'> {
  /** How long a new proxy may take to answer; default 30 s. */
  timeoutMs?: number;
}

export async function ensureProxy(home: string, options: EnsureOptions = {}): Promise<AdminClient> {
  const running = await connectProxy(home);
  if (running) return running;
  const { exited } = spawnDetachedProxy({ ...options, home });
  try {
    return await waitForProxy(home, { timeoutMs: options.timeoutMs, exited });
  } catch (error) {
    // Another caller may have started one at the same time: ours then exits, theirs answers.
    const other = await connectProxy(home);
    if (other) return other;
    throw error;
  }
}

/** A client of the proxy of `home` if one answers now, else undefined. */
export async function connectProxy(home: string): Promise<AdminClient | undefined> {
  try {
    const client = await AdminClient.forHome(home);
    await client.health();
    return client;
  } catch {
    return undefined;
  }
}
