// One proxied HTTP request: choose a version and an instance, forward through the instance's pool, stream
// the answer back, retry an idempotent request once on another instance if the connection failed before any
// response byte, and record the outcome. The Exchange is itself the undici dispatch handler (no closures
// per request). The instance's in-flight count is held from dispatch until the client side closes, which is
// what draining waits for.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Instance } from '../model/instance.js';
import type { Service } from '../model/service.js';
import type { Version } from '../model/version.js';
import { type Choice, Chosen, chooseVersion, otherVersion, wantsCanary } from './choose.js';
import {
  forwardRequestHeaders,
  forwardResponseHeaders,
  isBodyless,
  isIdempotent,
  stickyCookie,
} from './headers.js';
import { maintenanceReply, noInstanceReply, type Reply, upstreamErrorReply } from './replies.js';

export interface RouteContext {
  service: Service;
  /** Called when an instance refused a connection: it is taken out of rotation until a probe passes. */
  onRefused(instance: Instance, error: Error): void;
  random(): number;
}

type UpstreamError = Error & { code?: string };

/** Failures of the connection itself (node's codes, and undici's for a socket closed under a request). */
const RETRYABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
/** Resets that on a healthy instance mean a keep-alive connection it had just closed. */
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** nginx's code for "the client closed the connection before the answer". */
const CLIENT_CLOSED = 499;

export class Exchange implements Dispatcher.DispatchHandler {
  private readonly startMs = performance.now();
  private readonly choice: Choice = { version: undefined, how: Chosen.weighted };
  private version: Version | undefined;
  private instance: Instance | undefined;
  private abort: ((error?: Error) => void) | undefined;
  private resume: (() => void) | undefined;
  private attempts = 0;
  private status = 0;
  private proxyError = false;
  private finished = false;
  private bodyless = false;
  private waitingDrain = false;
  /** Set once the proxy answered in place of the instance: later upstream callbacks are ignored. */
  private ignoreUpstream = false;

  constructor(
    private readonly ctx: RouteContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    res.on('close', () => this.finish());
  }

  run(): void {
    const { service } = this.ctx;
    const headers = this.req.headers;
    if (service.maintenance.enabled && !wantsCanary(service, headers)) {
      const m = service.maintenance;
      this.reply(maintenanceReply(service.name, m.retryAfterSeconds, m.message), false);
      return;
    }
    const { version, how } = chooseVersion(service, headers, this.ctx.random, this.choice);
    this.version = version;
    const instance = version?.pickInstance();
    if (version === undefined || instance === undefined) {
      this.reply(noInstanceReply(service.name, this.whyNone(how)), true);
      return;
    }
    this.bodyless = isBodyless(headers);
    forwardRequestHeaders(headers, this.req.socket.remoteAddress);
    this.dispatch(instance);
  }

  private dispatch(instance: Instance): void {
    instance.acquire();
    this.instance = instance;
    this.attempts++;
    this.abort = undefined;
    const pool = instance.pool;
    if (pool === undefined) {
      this.onError(
        Object.assign(new Error(`instance ${instance.id} has no connection pool`), { code: 'ECONNREFUSED' }),
      );
      return;
    }
    try {
      pool.dispatch(
        {
          path: this.req.url ?? '/',
          method: this.req.method ?? 'GET',
          headers: this.req.headers,
          body: this.bodyless ? null : this.req,
        },
        this,
      );
    } catch (error) {
      this.onError(error as Error);
    }
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abort = abort;
    if (this.finished) abort();
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (this.finished) return false;
    const version = this.version as Version;
    const { service } = this.ctx;
    const cookie =
      service.config.sticky && this.choice.how === Chosen.weighted
        ? stickyCookie(service.config.stickyCookie, version.name)
        : undefined;
    this.resume = resume;
    this.status = status;
    try {
      this.res.writeHead(
        status,
        statusText || undefined,
        forwardResponseHeaders(rawHeaders, version.name, cookie),
      );
    } catch (error) {
      // A header Node refuses to send (a control character, say): the answer cannot be relayed as it is.
      const failed = this.instance as Instance;
      this.ignoreUpstream = true;
      this.reply(upstreamErrorReply(service.name, failed.id, failed.address, error as Error), true);
      this.abort?.();
      return false;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.write(chunk)) return true;
    // The client reads slower than the instance writes: pause the upstream until the client drains.
    if (!this.waitingDrain) {
      this.waitingDrain = true;
      this.res.once('drain', () => {
        this.waitingDrain = false;
        this.resume?.();
      });
    }
    return false;
  }

  onComplete(): void {
    this.res.end();
  }

  onError(error: UpstreamError): void {
    if (this.finished || this.ignoreUpstream) return;
    if (this.res.headersSent) {
      this.res.destroy(error);
      return;
    }
    const failed = this.instance as Instance;
    if (error.code === 'ECONNREFUSED') this.ctx.onRefused(failed, error);
    const next = this.retryTarget(failed, error);
    if (next !== undefined) {
      this.release();
      this.dispatch(next);
      return;
    }
    this.reply(upstreamErrorReply(this.ctx.service.name, failed.id, failed.address, error), true);
  }

  /** Another instance (of this version, else another weighted one) for a first failed idempotent attempt. */
  private retryTarget(failed: Instance, error: UpstreamError): Instance | undefined {
    const code = error.code ?? '';
    if (this.attempts > 1 || !this.bodyless || !isIdempotent(this.req.method) || !RETRYABLE.has(code))
      return undefined;
    const version = this.version as Version;
    const sibling = version.pickInstance(failed);
    if (sibling !== undefined) return sibling;
    if (RESET.has(code) && failed.status === 'healthy') return failed;
    if (this.choice.how === Chosen.canary) return undefined;
    const other = otherVersion(this.ctx.service, version);
    if (other === undefined) return undefined;
    this.version = other;
    return other.pickInstance();
  }

  private reply(reply: Reply, proxyError: boolean): void {
    this.status = reply.status;
    this.proxyError = proxyError;
    this.res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    this.res.end(this.req.method === 'HEAD' ? undefined : reply.body);
  }

  private whyNone(how: Chosen): string {
    const { service } = this.ctx;
    if (how === Chosen.canary)
      return `the canary version ${service.canaryVersion} is not running or has no healthy instance`;
    if (service.table.entries.length === 0) return 'no running version has a weight above 0';
    return service.table.entries
      .map((v) => `${v.name} ${v.routable.length}/${v.instances.length} healthy`)
      .join(', ');
  }

  private release(): void {
    const instance = this.instance;
    this.instance = undefined;
    instance?.release();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.res.writableFinished) {
      this.abort?.();
      if (this.status === 0 || !this.res.headersSent) this.status = CLIENT_CLOSED;
    }
    const instance = this.instance;
    this.release();
    const latencyMs = performance.now() - this.startMs;
    const nowMs = Date.now();
    if (this.version === undefined)
      this.ctx.service.stats.recordUnrouted(this.status, latencyMs, nowMs, this.proxyError);
    else
      this.version.stats.record(
        instance?.stats,
        instance?.index ?? -1,
        this.status,
        latencyMs,
        nowMs,
        this.proxyError,
      );
  }
}
