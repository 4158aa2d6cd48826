// Header rules of a reverse proxy (RFC 9110 §7.6.1): hop-by-hop headers stay on their hop, the rest pass.

import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
];

/** Removes hop-by-hop headers, including those the Connection header names. Mutates and returns `headers`. */
export function stripHopByHop<H extends IncomingHttpHeaders | OutgoingHttpHeaders>(headers: H): H {
  const connection = headers.connection;
  if (typeof connection === 'string' && connection !== 'keep-alive' && connection !== 'close') {
    for (const token of connection.split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '' && name !== 'transfer-encoding' && name !== 'content-length') delete headers[name];
    }
  }
  for (const name of HOP_BY_HOP) if (headers[name] !== undefined) delete headers[name];
  return headers;
}

/** Request headers as the instance should see them. Mutates and returns the incoming headers. */
export function forwardRequestHeaders(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
): IncomingHttpHeaders {
  stripHopByHop(headers);
  // The body's framing is the upstream client's to choose (chunked when the length is unknown).
  if (headers['transfer-encoding'] !== undefined) delete headers['transfer-encoding'];
  // The proxy already answered `Expect: 100-continue` to the client; the instance need not.
  if (headers.expect !== undefined) delete headers.expect;
  const client = remoteAddress ?? '';
  const prior = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior ? `${prior}, ${client}` : client;
  if (headers['x-forwarded-proto'] === undefined) headers['x-forwarded-proto'] = 'http';
  if (headers['x-forwarded-host'] === undefined && headers.host !== undefined)
    headers['x-forwarded-host'] = headers.host;
  return headers;
}

const RESPONSE_DROPPED = new Set([...HOP_BY_HOP, 'transfer-encoding']);

/**
 * Response headers (raw name/value pairs, as undici gives them) as the client should see them: hop-by-hop
 * and framing headers dropped (Node re-frames the body for the client connection), the serving version
 * named, the sticky cookie added. Pure.
 */
export function forwardResponseHeaders(
  raw: Buffer[] | string[],
  version: string,
  setCookie: string | undefined,
): string[] {
  let named: Set<string> | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (String(raw[i]).toLowerCase() !== 'connection') continue;
    named ??= new Set();
    for (const token of String(raw[i + 1]).split(',')) named.add(token.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = typeof raw[i] === 'string' ? (raw[i] as string) : (raw[i] as Buffer).toString('latin1');
    const lower = name.toLowerCase();
    if (RESPONSE_DROPPED.has(lower) || named?.has(lower)) continue;
    out.push(
      name,
      typeof raw[i + 1] === 'string' ? (raw[i + 1] as string) : (raw[i + 1] as Buffer).toString('latin1'),
    );
  }
  out.push('X-Gantry-Version', version);
  if (setCookie !== undefined) out.push('Set-Cookie', setCookie);
  return out;
}

/** The value of the cookie whose `name=` prefix is given, from a Cookie header. */
export function readCookie(cookieHeader: string | undefined, prefix: string): string | undefined {
  if (cookieHeader === undefined) return undefined;
  let at = cookieHeader.indexOf(prefix);
  while (at !== -1) {
    const before = at === 0 ? ';' : cookieHeader[at - 1];
    if (before === ';' || before === ' ') {
      const end = cookieHeader.indexOf(';', at);
      const raw = cookieHeader.slice(at + prefix.length, end === -1 ? undefined : end).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
    at = cookieHeader.indexOf(prefix, at + 1);
  }
  return undefined;
}

export function stickyCookie(name: string, version: string): string {
  return `${name}=${encodeURIComponent(version)}; Path=/; HttpOnly; SameSite=Lax`;
}

export function isIdempotent(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

/** A request without a body can be sent again as it was. */
export function isBodyless(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return (length === undefined || length === '0') && headers['transfer-encoding'] === undefined;
}

export function isCanaryValue(value: string | string[] | undefined): boolean {
  return value === '1' || value === 'true';
}
