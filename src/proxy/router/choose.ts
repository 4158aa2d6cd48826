// Which version serves a request: the canary when the canary header asks for it, else the sticky cookie's
// version while it has weight, else a weighted random draw. A drawn version with no healthy instance gives
// way to the next weighted version that has one, so a crashed version costs no failed request.

import type { IncomingHttpHeaders } from 'node:http';
import { pickWeighted } from '../model/routing-table.js';
import type { Service } from '../model/service.js';
import type { Version } from '../model/version.js';
import { isCanaryValue, readCookie } from './headers.js';

export const Chosen = {
  weighted: 0,
  sticky: 1,
  canary: 2,
} as const;
export type Chosen = (typeof Chosen)[keyof typeof Chosen];

export interface Choice {
  version: Version | undefined;
  how: Chosen;
}

export function wantsCanary(service: Service, headers: IncomingHttpHeaders): boolean {
  return service.canaryVersion !== null && isCanaryValue(headers[service.canaryHeaderKey]);
}

/** Writes the choice into `out` (reused by the caller to avoid an allocation per request). */
export function chooseVersion(
  service: Service,
  headers: IncomingHttpHeaders,
  random: () => number,
  out: Choice,
): Choice {
  if (wantsCanary(service, headers)) {
    // Smoke tests must reach the canary or fail loudly: no fallback to another version.
    out.version = service.canary;
    out.how = Chosen.canary;
    return out;
  }
  if (service.config.sticky) {
    const pinned = readCookie(headers.cookie, service.stickyCookiePrefix);
    const version = pinned === undefined ? undefined : service.weightedVersion(pinned);
    if (version !== undefined && version.routable.length > 0) {
      out.version = version;
      out.how = Chosen.sticky;
      return out;
    }
  }
  out.version = drawVersion(service, random());
  out.how = Chosen.weighted;
  return out;
}

/** Weighted draw, then the next weighted version with a healthy instance if the drawn one has none. */
export function drawVersion(service: Service, random: number): Version | undefined {
  const { table } = service;
  const n = table.entries.length;
  if (n === 0) return undefined;
  const first = pickWeighted(table, random);
  for (let k = 0; k < n; k++) {
    const version = table.entries[(first + k) % n] as Version;
    if (version.routable.length > 0) return version;
  }
  return table.entries[first];
}

/** Another weighted version with a healthy instance than `failed` (for a retry), if any. */
export function otherVersion(service: Service, failed: Version): Version | undefined {
  for (const version of service.table.entries)
    if (version !== failed && version.routable.length > 0) return version;
  return undefined;
}
