#!/usr/bin/env node
// Sample app for Gantry's local target: plain Node, no dependencies. Started with PORT, GANTRY_VERSION and
// GANTRY_INSTANCE (gantry-proxy sets them). FAULT makes a defective version on purpose, e.g.
// FAULT=errors:20,latency:3000 — see README.md beside this file.

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const version = process.env.GANTRY_VERSION ?? 'dev';
const instance = process.env.GANTRY_INSTANCE ?? '0';
const faults = parseFaults(process.env.FAULT ?? '');

/** "errors:20,latency:3000" -> { errors: 20, latency: 3000 } */
function parseFaults(text) {
  const parsed = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value] = part.split(':');
    const number = Number(value);
    if (!['errors', 'latency', 'leak', 'crash'].includes(name) || !Number.isFinite(number) || number < 0) {
      console.error(`FAULT: "${part}" is not one of errors:PCT, latency:MS, leak:MIB_PER_SEC, crash:SECONDS`);
      process.exit(2);
    }
    parsed[name] = number;
  }
  return parsed;
}

const counts = new Map(); // "path code" -> requests
let healthStatus = 200;
let errorBudget = 0; // errors:N answers exactly N of every 100 requests with 500, evenly spread
let shuttingDown = false;
const leaked = [];

function count(path, code) {
  const key = `${path}\u0000${code}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function send(req, res, code, body, type = 'application/json') {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
  const headers = { 'content-type': type, 'content-length': Buffer.byteLength(text) };
  if (shuttingDown) headers.connection = 'close';
  res.writeHead(code, headers);
  res.end(req.method === 'HEAD' ? undefined : text);
  count(new URL(req.url, 'http://app').pathname, code);
}

function metricsText() {
  const label = `version="${version}",instance="${instance}"`;
  const lines = [
    '# HELP sample_app_requests_total Requests answered by this instance.',
    '# TYPE sample_app_requests_total counter',
  ];
  for (const [key, n] of counts) {
    const [path, code] = key.split('\u0000');
    lines.push(
      `sample_app_requests_total{${label},path="${path.replace(/["\\\n]/g, '_')}",code="${code}"} ${n}`,
    );
  }
  const memory = process.memoryUsage();
  lines.push(
    '# HELP sample_app_heap_used_bytes V8 heap in use.',
    '# TYPE sample_app_heap_used_bytes gauge',
    `sample_app_heap_used_bytes{${label}} ${memory.heapUsed}`,
    '# HELP process_resident_memory_bytes Resident memory.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes{${label}} ${memory.rss}`,
    '# HELP sample_app_info The version and instance serving.',
    '# TYPE sample_app_info gauge',
    `sample_app_info{${label}} 1`,
  );
  return `${lines.join('\n')}\n`;
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://app');
  const path = url.pathname;
  if (path === '/health')
    return send(req, res, healthStatus, {
      status: healthStatus === 200 ? 'ok' : 'failing',
      version,
      instance,
    });
  if (path === '/metrics') return send(req, res, 200, metricsText(), 'text/plain; version=0.0.4');
  if (path === '/fault/health' && req.method === 'POST') {
    healthStatus = Number(url.searchParams.get('status') ?? 200);
    return send(req, res, 200, { healthStatus });
  }
  if (faults.latency) await new Promise((resolve) => setTimeout(resolve, faults.latency));
  if (faults.errors) {
    errorBudget += faults.errors;
    if (errorBudget >= 100) {
      errorBudget -= 100;
      return send(req, res, 500, { error: 'injected fault (FAULT=errors)', version, instance });
    }
  }
  if (path === '/slow')
    await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get('ms') ?? 100)));
  if (path.startsWith('/status/'))
    return send(req, res, Number(path.slice(8)) || 500, { version, instance, path });
  if (path === '/echo') {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    return send(req, res, 200, { version, instance, body: Buffer.concat(chunks).toString('utf8') });
  }
  send(req, res, 200, { version, instance, pid: process.pid, path });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    if (!res.headersSent) send(req, res, 500, { error: error.message });
  });
});

// /ws: a minimal WebSocket echo (RFC 6455) so pass-through can be tested without dependencies.
const sockets = new Set();
server.on('upgrade', (req, socket) => {
  const key = req.headers['sec-websocket-key'];
  if (new URL(req.url, 'http://app').pathname !== '/ws' || !key) {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => socket.destroy());
  let buffer = Buffer.alloc(0);
  socket.on('data', (data) => {
    buffer = Buffer.concat([buffer, data]);
    for (let frame = readFrame(buffer); frame; frame = readFrame(buffer)) {
      buffer = buffer.subarray(frame.size);
      if (frame.opcode === 0x8) return socket.end(encodeFrame(0x8, frame.payload));
      if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, frame.payload));
      else if (frame.opcode === 0x1 || frame.opcode === 0x2)
        socket.write(encodeFrame(frame.opcode, frame.payload));
    }
  });
});

function readFrame(buffer) {
  if (buffer.length < 2) return undefined;
  const opcode = buffer[0] & 0x0f;
  const masked = (buffer[1] & 0x80) !== 0;
  let length = buffer[1] & 0x7f;
  let at = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    at = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    at = 10;
  }
  const mask = masked ? buffer.subarray(at, at + 4) : undefined;
  if (masked) at += 4;
  if (buffer.length < at + length) return undefined;
  const payload = Buffer.from(buffer.subarray(at, at + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  return { opcode, payload, size: at + length };
}

function encodeFrame(opcode, payload) {
  const length = payload.length;
  const head = length < 126 ? Buffer.from([0x80 | opcode, length]) : Buffer.alloc(length < 65536 ? 4 : 10);
  if (length >= 126 && length < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else if (length >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([head, payload]);
}

server.listen(port, host, () => {
  console.log(
    `sample-app ${version}/${instance} listening on ${host}:${port}${process.env.FAULT ? ` with FAULT=${process.env.FAULT}` : ''}`,
  );
  if (faults.crash !== undefined) {
    setTimeout(() => {
      console.error(`FAULT=crash:${faults.crash}: exiting with code 1`);
      process.exit(1);
    }, faults.crash * 1000);
  }
  if (faults.leak) {
    // About N MiB a second kept forever in the V8 heap: arrays of 2^17 doubles (~1 MiB), ten times a second.
    let owed = 0;
    setInterval(() => {
      owed += faults.leak / 10;
      for (; owed >= 1; owed--) leaked.push(new Array(1 << 17).fill(leaked.length + 0.5));
    }, 100);
  }
});

// Graceful shutdown: stop accepting, let in-flight requests finish, close idle keep-alive connections.
process.on('SIGTERM', () => {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log('SIGTERM: finishing in-flight requests');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  for (const socket of sockets) socket.end(encodeFrame(0x8, Buffer.from([0x03, 0xe9])));
  setTimeout(() => {
    console.error('still busy after 10 s: exiting anyway');
    process.exit(0);
  }, 10_000).unref();
});
