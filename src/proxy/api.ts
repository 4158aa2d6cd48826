// The admin API's vocabulary: what a client sends to gantry-proxy and what it answers. Shared by the daemon
// (src/proxy/admin/) and the typed client (admin-client.ts), so both sides change together.

/** `PUT /services/:name` — declare (or update) a service. */
export interface ServiceDeclaration {
  /** Where users reach the service: "127.0.0.1:8080", "[::1]:8080", ":8080" (every interface) or "127.0.0.1:0" (a free port). */
  listen: string;
  /** Pin each client to the version it first got (by cookie) while that version keeps a weight above 0. */
  sticky?: boolean;
  /** Name of the sticky-session cookie; default `gantry_version`. */
  stickyCookie?: string;
  /** Request header that forces the canary version when its value is `1` or `true`; default `X-Gantry-Canary`. */
  canaryHeader?: string;
}

export interface HealthCheckSpec {
  /** Path probed with GET on each instance, e.g. `/health`. */
  path: string;
  /** Status the probe must answer; default 200. */
  expectStatus?: number;
  /** Time between probes of a running instance; default 1000. */
  intervalMs?: number;
  /** A probe slower than this fails; default 1000. */
  timeoutMs?: number;
  /** How long a new instance may take to pass its first probe; default 30000. */
  startupTimeoutMs?: number;
  /** Consecutive failed probes before a healthy instance stops getting traffic; default 2. */
  unhealthyThreshold?: number;
}

export interface DrainOptions {
  /** How long to wait for in-flight requests after taking instances out of rotation; default 30000. */
  drainTimeoutMs?: number;
  /** How long after SIGTERM before SIGKILL; default 10000. */
  killAfterMs?: number;
}

/** `PUT /services/:name/versions/:version` — start a version with N instances. */
export interface VersionSpec {
  /** Run through `/bin/sh -c` with PORT, GANTRY_SERVICE, GANTRY_VERSION and GANTRY_INSTANCE set. */
  command: string;
  instances: number;
  env?: Record<string, string>;
  /** Working directory of the command; default the proxy's. */
  cwd?: string;
  health: HealthCheckSpec;
  /** The memory an instance may use: `memoryRatio` in statistics is resident memory over this. */
  memoryLimitBytes?: number;
  /** Defaults for scale-downs and stops of this version. */
  drain?: DrainOptions;
}

/** A VersionSpec with every default filled in, as the proxy stores and reports it. */
export interface NormalizedVersionSpec {
  command: string;
  instances: number;
  env: Record<string, string>;
  cwd: string | null;
  health: Required<HealthCheckSpec>;
  memoryLimitBytes: number | null;
  drain: Required<DrainOptions>;
}

/** `DELETE /services/:name/versions/:version` and scale-downs. */
export interface StopOptions extends DrainOptions {
  /** Stop even when the version is the last one with weight (the service then answers 502). */
  force?: boolean;
}

export interface MaintenanceSettings {
  enabled: boolean;
  /** Sent as `Retry-After`; default 300. */
  retryAfterSeconds?: number;
  /** One sentence shown on the maintenance page. */
  message?: string;
}

export const INSTANCE_STATUSES = [
  'starting',
  'healthy',
  'unhealthy',
  'draining',
  'stopping',
  'stopped',
  'crashed',
] as const;
export type InstanceStatus = (typeof INSTANCE_STATUSES)[number];
export const VERSION_STATUSES = ['starting', 'running', 'draining', 'stopped', 'failed'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export interface InstanceState {
  index: number;
  /** `<version>-<index>`, as in the log file name. */
  id: string;
  status: InstanceStatus;
  pid: number | null;
  port: number;
  inflight: number;
  restarts: number;
  startedAtMs: number;
  /** True when this proxy found the process running after a restart and took it over. */
  adopted: boolean;
  lastHealthError: string | null;
  logPath: string;
}

export interface VersionState {
  version: string;
  status: VersionStatus;
  /** Relative weight; the share of traffic is weight / sum of weights. */
  weight: number;
  canary: boolean;
  spec: NormalizedVersionSpec;
  instances: InstanceState[];
  /** Why the version failed, when it did. */
  error: string | null;
}

export interface ServiceState {
  name: string;
  listen: string;
  /** The address actually bound (differs from `listen` when it asked for port 0). */
  address: string;
  sticky: boolean;
  stickyCookie: string;
  canaryHeader: string;
  canaryVersion: string | null;
  maintenance: Required<Omit<MaintenanceSettings, 'message'>> & { message: string | null };
  weights: Record<string, number>;
  versions: VersionState[];
}

export interface ProxyHealth {
  status: 'ok';
  pid: number;
  home: string;
  startedAt: string;
  uptimeMs: number;
  services: number;
  instances: number;
}

/** `GET /services/:name/stats` query. Windows are rounded out to whole seconds. */
export interface StatsQuery {
  version?: string;
  /** Instance index; needs `version`. */
  instance?: number;
  /** Default: `untilMs` minus one minute. */
  sinceMs?: number;
  /** Default: now. */
  untilMs?: number;
  /** Include the per-second series. */
  series?: boolean;
  /** Include up to this many of the most recent individual requests in the window (newest last). */
  recent?: number;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface StatusClassCounts {
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
}

export interface SecondPoint extends StatusClassCounts {
  tMs: number;
  requests: number;
  proxyErrors: number;
  latencyMs: LatencySummary | null;
  cpuRatio: number | null;
  memoryBytes: number | null;
}

export interface RecentRequest {
  tMs: number;
  latencyMs: number;
  status: number;
  version: string;
  instance: number;
}

export interface StatsReport {
  service: string;
  version: string | null;
  instance: number | null;
  sinceMs: number;
  untilMs: number;
  requests: StatusClassCounts & { total: number; proxyErrors: number };
  /** 5xx (including the proxy's own 502s) over all requests; 0 when there were none. */
  errorRate: number;
  requestsPerSecond: number;
  /** Milliseconds; null when no request finished in the window. */
  latencyMs: LatencySummary | null;
  resources: {
    maxMemoryBytes: number;
    /** Resident memory over `memoryLimitBytes`, when the version declared one. */
    maxMemoryRatio: number | null;
    maxCpuRatio: number;
    meanCpuRatio: number;
    samples: number;
  } | null;
  restarts: { inWindow: number; total: number };
  series?: SecondPoint[];
  recent?: RecentRequest[];
}

export interface ApiErrorBody {
  error: { code: string; message: string; hint?: string; where?: string; [key: string]: unknown };
}
