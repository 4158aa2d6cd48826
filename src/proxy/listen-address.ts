// Listen addresses as users write them ("127.0.0.1:8080", "[::1]:8080", ":8080") and as Node wants them.

import { GantryError } from '../errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

const FORM = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/;

/** Parses `host:port`; an empty host (":8080") means every interface. Port 0 asks for a free port. */
export function parseListenAddress(text: string, where = 'listen'): ListenAddress {
  const match = FORM.exec(text.trim());
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65535) {
    throw new GantryError('GANTRY_USAGE', `"${text}" is not a listen address`, {
      where,
      hint: 'write host:port, e.g. 127.0.0.1:8080, [::1]:8080, or :8080 for every interface',
    });
  }
  const host = match[1] ?? (match[2] === '' ? '0.0.0.0' : (match[2] as string));
  return { host, port };
}

export function formatListenAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
