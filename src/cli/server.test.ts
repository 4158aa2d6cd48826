import { describe, expect, it } from 'vitest';
import { parseListen } from './server.js';

describe('gantry server --listen', () => {
  it('reads host:port, IPv6 in brackets included, and refuses anything else', () => {
    expect(parseListen('127.0.0.1:7070')).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListen('7070')).toThrow(/not host:port/);
    expect(() => parseListen('localhost:99999')).toThrow(/not host:port/);
  });
});
