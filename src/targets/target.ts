// The data plane as strategies see it: where versions run and how traffic is split between them. Only what
// strategy steps need; `local/` drives gantry-proxy, `command/` runs the plan's shell commands (kubectl…),
// `nginx/` writes and reloads an nginx configuration.
// Every operation states a wanted end state, so calling it again (after a crash) converges, never repeats.

export interface VersionView {
  version: string;
  /** `running` once every instance passed its health check. */
  status: 'starting' | 'running' | 'draining' | 'stopped' | 'failed';
  instances: number;
  healthyInstances: number;
  /** Share of traffic in percent (0–100), across every version of the service. */
  trafficPct: number;
}

export interface TargetView {
  /** Where users reach the service, e.g. "127.0.0.1:8080". */
  address: string;
  versions: VersionView[];
  /** The version requests carrying `canaryHeader: 1` go to, whatever the weights. */
  headerRoute: string | null;
  canaryHeader: string;
  maintenance: boolean;
}

export interface MaintenanceOptions {
  /** One sentence on the maintenance page. */
  message?: string;
  retryAfterSeconds?: number;
}

export interface Target {
  /** The state of the data plane now. */
  describe(): Promise<TargetView>;
  /**
   * Runs `version` with exactly `instances` instances, all healthy before it resolves: starts it when it is
   * not running, adds instances (healthy first) or drains the extra ones when it is. Never changes traffic.
   * A version running from another launch spec is refused, unless `asRunning` (scale what runs as it is).
   */
  ensureVersion(version: string, instances: number, options?: { asRunning?: boolean }): Promise<void>;
  /** Drains and stops a version; one that is not running is already stopped. `force`: even if it carries all traffic. */
  stopVersion(version: string, options?: { force?: boolean }): Promise<void>;
  /** Sets each version's share of traffic in percent; versions not named get none. */
  setTraffic(sharesPct: Readonly<Record<string, number>>): Promise<void>;
  /** Sends requests with the canary header to `version` regardless of weights; null turns it off. */
  setHeaderRoute(version: string | null): Promise<void>;
  /** Answers users with the maintenance page (requests with the canary header still pass). */
  setMaintenance(enabled: boolean, options?: MaintenanceOptions): Promise<void>;
}
