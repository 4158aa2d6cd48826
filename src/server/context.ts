// What the server's routes share: the journal, the live event hub, metrics, the audit cache, the sign-in
// limiter, and operations that act as the request's user. Hono's context carries the user per request.

import { GantryError } from '../errors.js';
import type { Journal, UserRecord } from '../journal/journal.js';
import { JournalOperations } from '../operations/journal-operations.js';
import type { AuditStatusCache } from './audit-status.js';
import type { DeploymentDetails } from './deployment-detail.js';
import type { EventHub } from './event-hub.js';
import type { GantryMetrics } from './metrics.js';
import type { FailureLimiter } from './rate-limit.js';

export interface ServerDeps {
  journal: Journal;
  hub: EventHub;
  metrics: GantryMetrics;
  audit: AuditStatusCache;
  details: DeploymentDetails;
  limiter: FailureLimiter;
  /** The built dashboard (web/dist); the server answers only the API when it is missing. */
  dashboardDir?: string;
  /** Seconds between keep-alive comments on event streams. */
  heartbeatMs?: number;
}

export interface ServerEnv {
  Variables: {
    user: UserRecord;
    /** How the request proved who it is: an Authorization header, or the dashboard's session cookie. */
    via: 'bearer' | 'cookie';
  };
}

/**
 * Operations acting as `user`. Deployments it creates or answers are driven by the server's engine, which
 * adopts every deployment without a live engine; nothing is spawned per request.
 */
export function operationsFor(deps: ServerDeps, user: UserRecord): JournalOperations {
  return new JournalOperations(deps.journal, {
    identity: (as) => {
      if (as !== undefined && as !== user.name) {
        throw new GantryError(
          'GANTRY_USAGE',
          `this server acts as the token's user, ${user.name}, not ${as}`,
          {
            hint: 'drop --as, or use a token of that user (GANTRY_TOKEN)',
          },
        );
      }
      return user.name;
    },
    engines: { started: () => undefined, ensure: async () => undefined },
  });
}
