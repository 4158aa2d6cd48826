import { describe, expect, it } from 'vitest';
import {
  forwardRequestHeaders,
  forwardResponseHeaders,
  isBodyless,
  readCookie,
  stickyCookie,
} from './headers.js';

describe('proxy headers', () => {
  it('drops hop-by-hop headers, including those Connection names, and adds X-Forwarded-*', () => {
    const headers = forwardRequestHeaders(
      {
        host: 'shop.test',
        connection: 'keep-alive, x-trace-hop',
        'keep-alive': 'timeout=5',
        'x-trace-hop': '1',
        te: 'trailers',
        expect: '100-continue',
        accept: '*/*',
      },
      '10.0.0.7',
    );
    expect(headers).toEqual({
      host: 'shop.test',
      accept: '*/*',
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.test',
    });
  });

  it('appends to an existing X-Forwarded-For', () => {
    expect(forwardRequestHeaders({ 'x-forwarded-for': '1.2.3.4' }, '127.0.0.1')['x-forwarded-for']).toBe(
      '1.2.3.4, 127.0.0.1',
    );
  });

  it('names the serving version and adds the sticky cookie next to the instance’s own cookies', () => {
    const raw = [
      'Content-Type',
      'text/plain',
      'Transfer-Encoding',
      'chunked',
      'Connection',
      'keep-alive, X-Hop',
      'X-Hop',
      '1',
      'Set-Cookie',
      'a=1',
    ];
    expect(
      forwardResponseHeaders(
        raw.map((s) => Buffer.from(s)),
        'v2',
        stickyCookie('gantry_version', 'v2'),
      ),
    ).toEqual([
      'Content-Type',
      'text/plain',
      'Set-Cookie',
      'a=1',
      'X-Gantry-Version',
      'v2',
      'Set-Cookie',
      'gantry_version=v2; Path=/; HttpOnly; SameSite=Lax',
    ]);
  });

  it('reads a cookie by exact name, not a cookie whose name ends the same', () => {
    expect(readCookie('xgantry_version=v9; gantry_version=v1', 'gantry_version=')).toBe('v1');
    expect(readCookie('a=1;gantry_version=v%2B2', 'gantry_version=')).toBe('v+2');
    expect(readCookie('xgantry_version=v9', 'gantry_version=')).toBeUndefined();
    expect(readCookie(undefined, 'gantry_version=')).toBeUndefined();
  });

  it('treats a request without length or transfer encoding as bodyless', () => {
    expect(isBodyless({})).toBe(true);
    expect(isBodyless({ 'content-length': '0' })).toBe(true);
    expect(isBodyless({ 'content-length': '12' })).toBe(false);
    expect(isBodyless({ 'transfer-encoding': 'chunked' })).toBe(false);
  });
});
