// The plan the demo runs: examples/demo/plan.yaml as it is, or a copy in the demo's state directory when
// the sample app must listen on another port (the one in the file is taken, or --port asked for another).

import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

export const DEMO_PLAN = fileURLToPath(new URL('../../examples/demo/plan.yaml', import.meta.url));

export interface DemoPlan {
  path: string;
  /** Where the plan comes from, for people. */
  source: string;
  /** host:port of the sample app. */
  listen: string;
}

export async function demoPlan(home: string, port?: number): Promise<DemoPlan> {
  const doc = parseDocument(await readFile(DEMO_PLAN, 'utf8'));
  const listen = String(doc.getIn(['target', 'local', 'listen']));
  const [host = '127.0.0.1', written] = listen.split(':');
  const shown = relative(process.cwd(), DEMO_PLAN) || DEMO_PLAN;
  const wanted = port ?? ((await isFree(host, Number(written))) ? Number(written) : await freePort(host));
  if (wanted === Number(written)) return { path: DEMO_PLAN, source: shown, listen };
  doc.setIn(['target', 'local', 'listen'], `${host}:${wanted}`);
  const cwd = String(doc.getIn(['target', 'local', 'cwd']));
  doc.setIn(['target', 'local', 'cwd'], resolve(dirname(DEMO_PLAN), cwd));
  const path = join(home, 'demo-plan.yaml');
  await writeFile(path, doc.toString());
  return {
    path,
    source: `${shown}, listening on port ${wanted} instead of ${written}`,
    listen: `${host}:${wanted}`,
  };
}

function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, host, () => server.close(() => done(true)));
  });
}

function freePort(host: string): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
