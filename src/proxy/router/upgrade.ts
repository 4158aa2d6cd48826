// WebSocket (and any HTTP Upgrade) pass-through: the same version and instance choice as a request, then the
// two sockets are spliced together. The instance counts the connection as in flight until it closes, so a
// drain waits for it (up to the drain timeout, after which stopping the instance closes it).

import { type IncomingMessage, request } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Choice, Chosen, chooseVersion, wantsCanary } from './choose.js';
import type { RouteContext } from './exchange.js';
import { forwardRequestHeaders } from './headers.js';
import { maintenanceReply, noInstanceReply, type Reply } from './replies.js';

export function handleUpgrade(ctx: RouteContext, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const { service } = ctx;
  const startMs = performance.now();
  socket.on('error', () => socket.destroy());
  if (service.maintenance.enabled && !wantsCanary(service, req.headers)) {
    writeReply(
      socket,
      maintenanceReply(service.name, service.maintenance.retryAfterSeconds, service.maintenance.message),
    );
    return;
  }
  const choice: Choice = chooseVersion(service, req.headers, ctx.random, {
    version: undefined,
    how: Chosen.weighted,
  });
  const version = choice.version;
  const instance = version?.pickInstance();
  if (version === undefined || instance === undefined) {
    writeReply(
      socket,
      noInstanceReply(service.name, 'no running version with weight > 0 has a healthy instance'),
    );
    return;
  }
  const upgrade = req.headers.upgrade;
  const headers = forwardRequestHeaders(req.headers, req.socket.remoteAddress);
  headers.connection = 'Upgrade';
  if (upgrade !== undefined) headers.upgrade = upgrade;

  instance.acquire();
  let released = false;
  const done = (status: number) => {
    if (released) return;
    released = true;
    instance.release();
    version.stats.record(
      instance.stats,
      instance.index,
      status,
      performance.now() - startMs,
      Date.now(),
      status === 502,
    );
  };
  const up = request({
    host: instance.host,
    port: instance.port,
    method: req.method,
    path: req.url,
    headers,
    agent: false,
  });
  up.on('upgrade', (upRes, upSocket, upHead) => {
    socket.write(rawHead(upRes.statusCode ?? 101, upRes.statusMessage, upRes.rawHeaders, version.name));
    if (upHead.length > 0) socket.write(upHead);
    if (head.length > 0) upSocket.write(head);
    upSocket.pipe(socket).pipe(upSocket);
    const close = () => {
      socket.destroy();
      upSocket.destroy();
      done(upRes.statusCode ?? 101);
    };
    upSocket.on('error', close).on('close', close);
    socket.on('close', close);
  });
  up.on('response', (upRes) => {
    // The instance declined the upgrade: relay its answer, delimited by closing the connection.
    socket.write(
      rawHead(
        upRes.statusCode ?? 502,
        upRes.statusMessage,
        withoutFraming(upRes.rawHeaders),
        version.name,
        true,
      ),
    );
    upRes.pipe(socket);
    upRes.on('end', () => done(upRes.statusCode ?? 502));
  });
  up.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'ECONNREFUSED') ctx.onRefused(instance, error);
    writeReply(
      socket,
      noInstanceReply(service.name, `instance ${instance.id} failed: ${error.code ?? error.message}`),
    );
    done(502);
  });
  socket.on('close', () => up.destroy());
  up.end();
}

/** rawHeaders ([name, value, …]) without the framing headers: the relayed body is delimited by closing. */
function withoutFraming(raw: string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (/^(transfer-encoding|content-length|connection)$/i.test(raw[i] as string)) continue;
    pairs.push(raw[i] as string, raw[i + 1] as string);
  }
  return pairs;
}

/** The status line and headers of a response written straight onto a socket. */
export function rawHead(
  status: number,
  message: string | undefined,
  rawHeaders: string[],
  version: string,
  close = false,
): string {
  let text = `HTTP/1.1 ${status} ${message ?? ''}\r\n`;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) text += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  text += `X-Gantry-Version: ${version}\r\n`;
  if (close) text += 'Connection: close\r\n';
  return `${text}\r\n`;
}

function writeReply(socket: Duplex, reply: Reply): void {
  let text = `HTTP/1.1 ${reply.status} ${reply.status === 503 ? 'Service Unavailable' : 'Bad Gateway'}\r\n`;
  for (const [name, value] of Object.entries(reply.headers)) text += `${name}: ${value}\r\n`;
  text += `Content-Length: ${Buffer.byteLength(reply.body)}\r\nConnection: close\r\n\r\n${reply.body}`;
  socket.end(text);
}
