#!/usr/bin/env node
// STAND-IN for AstralField's Next.js API (runbook 001), enough to run its health checks for real: the
// health endpoints answer the JSON the runbook expects, measuring the database and Redis over TCP
// (DATABASE_URL, REDIS_URL); the feature routes answer 200. Plain Node, no dependencies. Started per
// instance by gantry-proxy with PORT and GANTRY_VERSION; FAULT=errors:N (N of 100 requests answer 500)
// or latency:MS makes a defective version, as examples/sample-app does.
import { Socket } from 'node:net';
import { createServer as createHttpServer } from 'node:http';

const version = process.env.GANTRY_VERSION ?? 'dev';
const started = Date.now();
const fault = Object.fromEntries((process.env.FAULT ?? '').split(',').filter(Boolean).map((f) => f.split(':')).map(([k, v]) => [k, Number(v)]));
let budget = 0;

/** Connects to host:port, sends `probe` when given, resolves with the latency once it answers. */
function reach(url, probe) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const begun = performance.now();
    const socket = new Socket();
    socket.setTimeout(2_000, () => socket.destroy(new Error('timed out')));
    socket.once('error', reject);
    socket.connect(Number(port), hostname, () => {
      if (!probe) return socket.end(), resolve(performance.now() - begun);
      socket.write(probe);
      socket.once('data', (data) => {
        socket.end();
        data.toString().startsWith('+PONG') ? resolve(performance.now() - begun) : reject(new Error(`answered ${data}`));
      });
    });
  });
}

const ms = (value) => `${Math.round(value)}ms`;
const routes = {
  '/api/health': async () => [200, { status: 'ok', timestamp: new Date().toISOString(), uptime: `${Math.round((Date.now() - started) / 1000)}s`, version }],
  '/api/health/db': async () => reach(process.env.DATABASE_URL).then((t) => [200, { database: 'connected', latency: ms(t) }], (e) => [503, { database: 'unreachable', error: e.message }]),
  '/api/health/cache': async () => reach(process.env.REDIS_URL, 'PING\r\n').then((t) => [200, { redis: 'connected', latency: ms(t) }], (e) => [503, { redis: 'unreachable', error: e.message }]),
  '/api/espn/health': async () => [200, { espn: 'available', latency: '0ms', note: 'stand-in: the ESPN API is not called here' }],
  '/api/leagues': async () => [200, { leagues: [{ id: 1, name: 'League 1' }] }],
  '/api/draft': async () => [200, { draft: { round: 1, pick: 1 } }],
  '/api/auth/session': async () => [200, { session: null }],
};

createHttpServer(async (req, res) => {
  const path = new URL(req.url, 'http://app').pathname;
  const health = path.startsWith('/api/health');
  if (fault.latency && !health) await new Promise((r) => setTimeout(r, fault.latency));
  let [status, body] = [404, { error: 'not found' }];
  if (fault.errors && !health && (budget += fault.errors) >= 100) {
    budget -= 100;
    [status, body] = [500, { error: 'injected fault (FAULT=errors)' }];
  } else if (routes[path]) [status, body] = await routes[path]();
  else if (path === '/') [status, body] = [200, { app: 'astralfield', version }];
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}).listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
