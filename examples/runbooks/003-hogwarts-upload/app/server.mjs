#!/usr/bin/env node
// STAND-IN for the Hogwarts file upload app (runbook 003), enough for its checks to run for real: health
// of the app, the upload endpoint (a temporary directory it writes to) and the CDN path; a login that sets a
// session cookie; an upload that stores the file and answers its size. Plain Node, no dependencies.
// Started per instance by gantry-proxy with PORT and GANTRY_VERSION; FAULT=errors:N (N of 100 requests
// answer 500) or latency:MS makes a defective version, as examples/sample-app does.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const version = process.env.GANTRY_VERSION ?? 'dev';
const uploads = mkdtempSync(join(tmpdir(), 'hogwarts-uploads-'));
const fault = Object.fromEntries((process.env.FAULT ?? '').split(',').filter(Boolean).map((f) => f.split(':')).map(([k, v]) => [k, Number(v)]));
let budget = 0;
let stored = 0;

async function body(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function route(req, path) {
  if (path === '/api/health' || path === '/health') return [200, { status: 'ok', version }];
  if (path === '/api/upload/health') {
    writeFileSync(join(uploads, '.probe'), 'ok');
    return [200, { upload: 'ok', stored }];
  }
  if (path === '/cdn/health') return [200, { cdn: 'ok' }];
  if (path === '/login' && req.method === 'POST') {
    const form = new URLSearchParams((await body(req)).toString());
    if (!form.get('email') || !form.get('password')) return [401, { error: 'email and password required' }];
    return [200, { session: 'synthetic' }, { 'set-cookie': 'session=synthetic; HttpOnly; Path=/' }];
  }
  if (path === '/api/upload' && req.method === 'POST') {
    if (!/session=/.test(req.headers.cookie ?? '')) return [401, { error: 'log in first' }];
    const file = await body(req);
    writeFileSync(join(uploads, `${++stored}.bin`), file);
    return [201, { uploaded: true, bytes: file.length }];
  }
  if (path === '/') return [200, { app: 'hogwarts', version }];
  return [404, { error: 'not found' }];
}

createServer(async (req, res) => {
  const path = new URL(req.url, 'http://app').pathname;
  const health = path.endsWith('/health');
  if (fault.latency && !health) await new Promise((r) => setTimeout(r, fault.latency));
  let [status, answer, headers] = [500, { error: 'injected fault (FAULT=errors)' }, {}];
  if (!(fault.errors && !health && (budget += fault.errors) >= 100)) [status, answer, headers = {}] = await route(req, path);
  else budget -= 100;
  const text = `${JSON.stringify(answer)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}).listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
