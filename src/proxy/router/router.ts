// The per-service HTTP server on the service's listen address. Requests become Exchanges; upgrades are
// spliced through. Closing stops accepting, lets in-flight requests finish, then cuts what is left.

import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GantryError } from '../../errors.js';
import { formatListenAddress, type ListenAddress } from '../listen-address.js';
import { Exchange, type RouteContext } from './exchange.js';
import { handleUpgrade } from './upgrade.js';

/** Longer than the idle timeouts of common clients and load balancers, so they, not we, close idle sockets. */
const CLIENT_KEEP_ALIVE_MS = 65_000;

export class ServiceRouter {
  readonly server: Server;
  /** Upgraded (WebSocket) client sockets: the HTTP server no longer tracks them, but close() must end them. */
  private readonly upgraded = new Set<Duplex>();

  constructor(private readonly ctx: RouteContext) {
    this.server = createServer({ keepAliveTimeout: CLIENT_KEEP_ALIVE_MS, noDelay: true });
    this.server.on('request', (req, res) => new Exchange(this.ctx, req, res).run());
    this.server.on('upgrade', (req, socket, head) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
      handleUpgrade(this.ctx, req, socket, head);
    });
    this.server.on('clientError', (_error, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Binds the address; resolves with the bound address (port 0 becomes the port the system chose). */
  listen(address: ListenAddress): Promise<string> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        const listen = formatListenAddress(address);
        reject(
          new GantryError(
            'GANTRY_TARGET',
            `service "${this.ctx.service.name}" cannot listen on ${listen}: ${error.code ?? error.message}`,
            {
              where: listen,
              hint:
                error.code === 'EADDRINUSE'
                  ? 'another process uses that port; pick another listen address or stop that process'
                  : 'check the listen address',
              cause: error,
            },
          ),
        );
      };
      this.server.once('error', onError);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', onError);
        const bound = this.server.address();
        resolve(
          typeof bound === 'object' && bound
            ? formatListenAddress({ host: address.host, port: bound.port })
            : formatListenAddress(address),
        );
      });
    });
  }

  /** Stops accepting; idle keep-alive connections close now, busy ones after their request, all by `graceMs`. */
  async close(graceMs: number): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => {
      this.server.closeAllConnections();
      for (const socket of this.upgraded) socket.destroy();
    }, graceMs);
    await closed;
    clearTimeout(timer);
  }
}
