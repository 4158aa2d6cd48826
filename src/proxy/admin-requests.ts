// Every admin API call as data (method, path, body): the client sends these, tests compare them by equality.

import type { MaintenanceSettings, ServiceDeclaration, StatsQuery, StopOptions, VersionSpec } from './api.js';

export interface ApiRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
}

const seg = encodeURIComponent;
const servicePath = (service: string) => `/services/${seg(service)}`;
const versionPath = (service: string, version: string) => `${servicePath(service)}/versions/${seg(version)}`;

export const adminRequests = {
  health: (): ApiRequest => ({ method: 'GET', path: '/health' }),
  metrics: (): ApiRequest => ({ method: 'GET', path: '/metrics' }),
  shutdown: (keepInstances = false): ApiRequest => ({
    method: 'POST',
    path: '/shutdown',
    body: { keepInstances },
  }),
  listServices: (): ApiRequest => ({ method: 'GET', path: '/services' }),
  getService: (service: string): ApiRequest => ({ method: 'GET', path: servicePath(service) }),
  declareService: (service: string, declaration: ServiceDeclaration): ApiRequest => ({
    method: 'PUT',
    path: servicePath(service),
    body: declaration,
  }),
  deleteService: (service: string, options: StopOptions = {}): ApiRequest => ({
    method: 'DELETE',
    path: servicePath(service),
    body: options,
  }),
  startVersion: (service: string, version: string, spec: VersionSpec): ApiRequest => ({
    method: 'PUT',
    path: versionPath(service, version),
    body: spec,
  }),
  getVersion: (service: string, version: string): ApiRequest => ({
    method: 'GET',
    path: versionPath(service, version),
  }),
  stopVersion: (service: string, version: string, options: StopOptions = {}): ApiRequest => ({
    method: 'DELETE',
    path: versionPath(service, version),
    body: options,
  }),
  scaleVersion: (
    service: string,
    version: string,
    instances: number,
    options: StopOptions = {},
  ): ApiRequest => ({
    method: 'PUT',
    path: `${versionPath(service, version)}/instances`,
    body: { ...options, instances },
  }),
  setWeights: (service: string, weights: Record<string, number>): ApiRequest => ({
    method: 'PUT',
    path: `${servicePath(service)}/weights`,
    body: { weights },
  }),
  setCanary: (service: string, version: string | null): ApiRequest => ({
    method: 'PUT',
    path: `${servicePath(service)}/canary`,
    body: { version },
  }),
  setMaintenance: (service: string, settings: MaintenanceSettings): ApiRequest => ({
    method: 'PUT',
    path: `${servicePath(service)}/maintenance`,
    body: settings,
  }),
  stats: (service: string, query: StatsQuery = {}): ApiRequest => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined)
        params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
    const search = params.toString();
    return { method: 'GET', path: `${servicePath(service)}/stats${search ? `?${search}` : ''}` };
  },
};
