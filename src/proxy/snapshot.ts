// The proxy's desired state on disk (`proxy-state.json`): services, versions, weights, and the processes
// serving them, so a restarted proxy can re-adopt running instances and keep serving at the same weights.
// Written atomically (temp file + rename) after every change, coalesced so a burst costs one write.

import { readFile, rename, writeFile } from 'node:fs/promises';
import { GantryError } from '../errors.js';
import type { NormalizedVersionSpec, ServiceDeclaration } from './api.js';
import type { MaintenanceMode, Service } from './model/service.js';

export interface SavedInstance {
  index: number;
  pid: number | null;
  port: number;
  procStartTicks: number | null;
  startedAtMs: number;
  restarts: number;
}

export interface SavedVersion {
  name: string;
  spec: NormalizedVersionSpec;
  instances: SavedInstance[];
}

export interface SavedService {
  name: string;
  declaration: Required<ServiceDeclaration>;
  /** The bound address, so a service declared on port 0 comes back on the same port. */
  address: string;
  weights: Record<string, number>;
  canaryVersion: string | null;
  maintenance: MaintenanceMode;
  versions: SavedVersion[];
}

export interface ProxySnapshot {
  format: 1;
  savedAt: string;
  services: SavedService[];
}

/** Versions being stopped, failed or stopped are not saved: a restart must not bring them back. */
export function snapshotOf(services: Iterable<Service>, now = new Date()): ProxySnapshot {
  const saved: SavedService[] = [];
  for (const service of services) {
    const versions: SavedVersion[] = [];
    for (const version of service.versions.values()) {
      if (version.status !== 'running' && version.status !== 'starting') continue;
      versions.push({
        name: version.name,
        spec: version.spec,
        instances: version.instances
          .filter((i) => i.status !== 'stopped' && i.status !== 'stopping' && i.status !== 'draining')
          .map((i) => ({
            index: i.index,
            pid: i.pid,
            port: i.port,
            procStartTicks: i.procStartTicks,
            startedAtMs: i.startedAtMs,
            restarts: i.stats.restarts,
          })),
      });
    }
    saved.push({
      name: service.name,
      declaration: service.config,
      address: service.address,
      weights: Object.fromEntries(service.weights),
      canaryVersion: service.canaryVersion,
      maintenance: { ...service.maintenance },
      versions,
    });
  }
  return { format: 1, savedAt: now.toISOString(), services: saved };
}

export async function readSnapshot(path: string): Promise<ProxySnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as ProxySnapshot;
    if (parsed.format !== 1 || !Array.isArray(parsed.services))
      throw new Error(`unknown format ${String(parsed.format)}`);
    return parsed;
  } catch (error) {
    throw new GantryError(
      'GANTRY_TARGET',
      `the proxy state ${path} cannot be read: ${(error as Error).message}`,
      {
        where: path,
        hint: 'move the file aside to start with no services (running instances are then not adopted), or restore it from a backup',
        cause: error,
      },
    );
  }
}

export class SnapshotWriter {
  private writing: Promise<void> | undefined;
  private dirty = false;
  private frozen = false;

  constructor(
    private readonly path: string,
    private readonly build: () => ProxySnapshot,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Asks for a write soon; many changes in one tick cost one write. */
  schedule(): void {
    if (this.frozen) return;
    this.dirty = true;
    if (!this.writing) this.writing = this.drain();
  }

  /** Resolves once everything scheduled so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** No more writes: used at shutdown so stopping instances does not erase the desired state. */
  async freeze(): Promise<void> {
    await this.flush();
    this.frozen = true;
  }

  private async drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.dirty) {
      this.dirty = false;
      const temp = `${this.path}.${process.pid}.tmp`;
      try {
        await writeFile(temp, `${JSON.stringify(this.build(), null, 2)}\n`, { mode: 0o600 });
        await rename(temp, this.path);
      } catch (error) {
        this.onError(error as Error);
      }
    }
    this.writing = undefined;
  }
}
