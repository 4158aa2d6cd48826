// Stops the demo's gantry-proxy and waits until it and every app instance it ran have exited, so the demo
// leaves no process behind; says what was stopped.

import type { AdminClient } from '../proxy/admin-client.js';

export async function stopProxy(proxy: AdminClient, service: string): Promise<string> {
  const { pid } = await proxy.health();
  const instances = await proxy
    .getService(service)
    .then((state) => state.versions.flatMap((v) => v.instances.flatMap((i) => (i.pid ? [i.pid] : []))))
    .catch(() => [] as number[]);
  await proxy.shutdown(false);
  proxy.close();
  const left = await waitForExit([pid, ...instances], 20_000);
  if (left.length > 0) {
    for (const stray of left) kill(stray);
    return `stopped gantry-proxy (pid ${pid}); ${left.length} process(es) did not exit in time and were killed: ${left.join(', ')}`;
  }
  return `stopped gantry-proxy (pid ${pid}) and ${instances.length} app instance${instances.length === 1 ? '' : 's'}: no process left behind`;
}

async function waitForExit(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    alive = alive.filter(isAlive);
  }
  return alive;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone meanwhile.
  }
}
