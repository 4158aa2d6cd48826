// A free loopback port for each new instance process, chosen by the system and not handed out twice soon.

import { createServer } from 'node:net';

const recentlyGiven = new Map<number, number>();
const REMEMBER_MS = 60_000;

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await askSystem(host);
    const now = Date.now();
    for (const [p, at] of recentlyGiven) if (now - at > REMEMBER_MS) recentlyGiven.delete(p);
    if (recentlyGiven.has(port)) continue;
    recentlyGiven.set(port, now);
    return port;
  }
  return askSystem(host);
}

function askSystem(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
