// The slice of gantry-proxy's admin API the local target uses (STYLE 6: inject the narrow part of a client).
// The proxy's AdminClient (src/proxy/admin-client.ts) has this shape; tests give an in-memory one.

import type {
  MaintenanceSettings,
  ServiceDeclaration,
  ServiceState,
  StopOptions,
  VersionSpec,
  VersionState,
} from '../../proxy/api.js';

export interface ProxyAdmin {
  /** Throws a GantryError with `context.httpStatus` 404 when the service is not declared. */
  getService(name: string): Promise<ServiceState>;
  /** Idempotent for the same listen address. */
  declareService(name: string, declaration: ServiceDeclaration): Promise<ServiceState>;
  /** Resolves once every instance is healthy; the same spec on a running version is a no-op. */
  startVersion(service: string, version: string, spec: VersionSpec): Promise<VersionState>;
  scaleVersion(
    service: string,
    version: string,
    instances: number,
    options?: StopOptions,
  ): Promise<VersionState>;
  stopVersion(service: string, version: string, options?: StopOptions): Promise<unknown>;
  setWeights(service: string, weights: Record<string, number>): Promise<ServiceState>;
  setCanary(service: string, version: string | null): Promise<ServiceState>;
  setMaintenance(service: string, settings: MaintenanceSettings): Promise<ServiceState>;
}
