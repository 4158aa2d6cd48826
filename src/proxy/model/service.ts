// A service: where it listens, its versions and their weights, the canary, maintenance mode, and the routing
// table derived from them. Everything the router reads per request is precomputed here on change.

import type { ServiceDeclaration, ServiceState } from '../api.js';
import type { ServiceStats } from '../stats/stats-store.js';
import { buildRoutingTable, type RoutingTable } from './routing-table.js';
import type { Version } from './version.js';

export interface MaintenanceMode {
  enabled: boolean;
  retryAfterSeconds: number;
  message: string | null;
}

export class Service {
  readonly versions = new Map<string, Version>();
  weights = new Map<string, number>();
  canaryVersion: string | null = null;
  maintenance: MaintenanceMode = { enabled: false, retryAfterSeconds: 300, message: null };
  /** Running versions with weight > 0. */
  table: RoutingTable<Version> = buildRoutingTable<Version>([]);
  /** The canary version when it is running, for the forced path. */
  canary: Version | undefined;
  /** Bound address, set by the router once listening. */
  address = '';
  /** Lower-cased header name and `name=` cookie prefix, precomputed for the request path. */
  canaryHeaderKey: string;
  stickyCookiePrefix: string;

  constructor(
    readonly name: string,
    public config: Required<ServiceDeclaration>,
    readonly stats: ServiceStats,
  ) {
    this.canaryHeaderKey = config.canaryHeader.toLowerCase();
    this.stickyCookiePrefix = `${config.stickyCookie}=`;
  }

  updateConfig(config: Required<ServiceDeclaration>): void {
    this.config = config;
    this.canaryHeaderKey = config.canaryHeader.toLowerCase();
    this.stickyCookiePrefix = `${config.stickyCookie}=`;
  }

  weightOf(version: string): number {
    return this.weights.get(version) ?? 0;
  }

  refreshRouting(): void {
    const weighted: { item: Version; weight: number }[] = [];
    for (const version of this.versions.values()) {
      if (version.status === 'running') weighted.push({ item: version, weight: this.weightOf(version.name) });
    }
    this.table = buildRoutingTable(weighted);
    const canary = this.canaryVersion === null ? undefined : this.versions.get(this.canaryVersion);
    this.canary = canary?.status === 'running' ? canary : undefined;
  }

  /** A running version with weight > 0 by name (sticky sessions), or undefined. */
  weightedVersion(name: string): Version | undefined {
    const entries = this.table.entries;
    for (let i = 0; i < entries.length; i++) if ((entries[i] as Version).name === name) return entries[i];
    return undefined;
  }

  toState(): ServiceState {
    return {
      name: this.name,
      listen: this.config.listen,
      address: this.address,
      sticky: this.config.sticky,
      stickyCookie: this.config.stickyCookie,
      canaryHeader: this.config.canaryHeader,
      canaryVersion: this.canaryVersion,
      maintenance: { ...this.maintenance },
      weights: Object.fromEntries(this.weights),
      versions: [...this.versions.values()].map((v) =>
        v.toState(this.weightOf(v.name), v.name === this.canaryVersion),
      ),
    };
  }
}
