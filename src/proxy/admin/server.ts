// The admin API's HTTP servers: the unix socket (always) and loopback TCP (with --admin). Every request
// needs the bearer token. A separate, unauthenticated listener can serve only /metrics (with --metrics).

import { chmod } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GantryError } from '../../errors.js';
import { formatListenAddress, type ListenAddress } from '../listen-address.js';
import { METRICS_CONTENT_TYPE } from '../metrics-text.js';
import { bearerMatches } from '../token.js';
import { errorResponse, unauthorized } from './http-errors.js';
import { type AdminApi, matchRoute } from './routes.js';

const MAX_BODY_BYTES = 1024 * 1024;

export interface AdminServerOptions {
  api: AdminApi;
  token: string;
  tokenPath: string;
  socketPath: string;
  tcp?: ListenAddress;
  metrics?: ListenAddress;
}

export interface AdminServers {
  tcpAddress: string | undefined;
  metricsAddress: string | undefined;
  close(): Promise<void>;
}

export async function startAdminServers(options: AdminServerOptions): Promise<AdminServers> {
  const servers: Server[] = [];
  const admin = () => {
    const server = createServer((req, res) => void handleAdmin(options, req, res));
    // Starting a version waits for its health checks: no request timeout on the admin API.
    server.requestTimeout = 0;
    servers.push(server);
    return server;
  };
  await listen(admin(), options.socketPath, options.socketPath);
  await chmod(options.socketPath, 0o600);
  let tcpAddress: string | undefined;
  if (options.tcp) tcpAddress = await listen(admin(), options.tcp, formatListenAddress(options.tcp));
  let metricsAddress: string | undefined;
  if (options.metrics) {
    const server = createServer((req, res) => {
      if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics')
        return send(res, 200, options.api.metricsText(), METRICS_CONTENT_TYPE);
      send(res, 404, 'only GET /metrics is served here\n', 'text/plain');
    });
    servers.push(server);
    metricsAddress = await listen(server, options.metrics, formatListenAddress(options.metrics));
  }
  return {
    tcpAddress,
    metricsAddress,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

async function handleAdmin(
  options: AdminServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!bearerMatches(req.headers.authorization, options.token)) {
    const { status, body } = unauthorized(options.tokenPath);
    res.setHeader('www-authenticate', 'Bearer realm="gantry-proxy"');
    return send(res, status, body);
  }
  const url = new URL(req.url ?? '/', 'http://gantry-proxy');
  const matched = matchRoute(req.method ?? 'GET', url.pathname);
  try {
    if (!matched)
      throw new GantryError('GANTRY_USAGE', `no such admin endpoint: ${req.method} ${url.pathname}`, {
        hint: 'see src/proxy/README.md for the endpoints',
        context: { httpStatus: 404 },
      });
    if ('allowed' in matched) {
      throw new GantryError('GANTRY_USAGE', `${url.pathname} does not take ${req.method}`, {
        hint: `use ${matched.allowed.join(' or ')}`,
        context: { httpStatus: 405 },
      });
    }
    const body = await readJson(req);
    const out = await matched.route.handle(options.api, {
      params: matched.params,
      query: url.searchParams,
      body,
    });
    send(res, out.status, out.body, out.contentType);
  } catch (error) {
    const { status, body } = errorResponse(error);
    send(res, status, body);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new GantryError('GANTRY_USAGE', 'request body over 1 MiB', { context: { httpStatus: 413 } });
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new GantryError('GANTRY_USAGE', `request body is not JSON: ${(error as Error).message}`, {
      hint: 'send a JSON body with content-type application/json',
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown, contentType?: string): void {
  const text = contentType ? String(body) : `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': contentType ?? 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function listen(server: Server, where: string | ListenAddress, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new GantryError(
          'GANTRY_TARGET',
          `gantry-proxy cannot listen on ${label}: ${error.code ?? error.message}`,
          {
            where: label,
            hint:
              error.code === 'EADDRINUSE'
                ? 'another process uses it; choose another address'
                : error.code === 'EINVAL'
                  ? 'a unix socket path must be under 108 bytes: use a shorter GANTRY_HOME'
                  : 'check the address and permissions',
            cause: error,
          },
        ),
      ),
    );
    const done = () => {
      const bound = server.address();
      resolve(
        typeof bound === 'object' && bound && typeof where === 'object'
          ? formatListenAddress({ host: where.host, port: bound.port })
          : label,
      );
    };
    if (typeof where === 'string') server.listen(where, done);
    else server.listen(where.port, where.host, done);
  });
}
