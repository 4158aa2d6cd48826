// A version of a service: its spec, its instances, and the ones that may get traffic now.

import type { VersionState, VersionStatus } from '../api.js';
import type { VersionStats } from '../stats/stats-store.js';
import type { Instance } from './instance.js';
import type { Service } from './service.js';
import type { NormalizedVersionSpec } from './spec.js';

export class Version {
  status: VersionStatus = 'starting';
  instances: Instance[] = [];
  /** Healthy instances, rebuilt on every status change; the router reads only this. */
  routable: Instance[] = [];
  error: string | null = null;
  private cursor = 0;

  constructor(
    readonly service: Service,
    readonly name: string,
    public spec: NormalizedVersionSpec,
    readonly stats: VersionStats,
  ) {}

  refreshRoutable(): void {
    this.routable = this.instances.filter((instance) => instance.status === 'healthy');
    this.service.refreshRouting();
  }

  /**
   * The healthy instance with the fewest requests in flight, scanning from a rotating start so equal ones
   * take turns (round-robin when all are idle). `exclude` skips the instance a retry is moving away from.
   */
  pickInstance(exclude?: Instance): Instance | undefined {
    const list = this.routable;
    const n = list.length;
    if (n === 0) return undefined;
    const start = this.cursor++ % n;
    let best: Instance | undefined;
    for (let k = 0; k < n; k++) {
      const candidate = list[(start + k) % n] as Instance;
      if (candidate === exclude) continue;
      if (best === undefined || candidate.inflight < best.inflight) best = candidate;
    }
    return best;
  }

  toState(weight: number, canary: boolean): VersionState {
    return {
      version: this.name,
      status: this.status,
      weight,
      canary,
      spec: this.spec,
      instances: this.instances.map((instance) => instance.toState()),
      error: this.error,
    };
  }
}
