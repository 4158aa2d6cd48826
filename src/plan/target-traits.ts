// What a plan's data plane can do, as strategies need to know it: how many instances a version gets,
// whether requests can be routed by the canary header, and how a rolling update happens there.

import type { Target } from './schema/target.js';

export type TargetKind = 'local' | 'command' | 'nginx';

export interface TargetTraits {
  kind: TargetKind;
  /** Instances of each version: gantry-proxy instances, replicas, or the servers of an nginx slot. */
  instances: number;
  /** Requests with the canary header can be sent to one version (a preview, checks behind maintenance). */
  headerRoute: boolean;
  /**
   * `batches`: rolling moves instances a batch at a time, traffic following the counts. `in-place`: the
   * data plane rolls by itself (kubectl rollout), so a rolling update is one `start` of the new version.
   */
  rolling: 'batches' | 'in-place';
}

export function targetKind(target: Target): TargetKind {
  if ('local' in target) return 'local';
  if ('command' in target) return 'command';
  return 'nginx';
}

export function targetTraits(target: Target): TargetTraits {
  if ('local' in target) {
    return { kind: 'local', instances: target.local.instances, headerRoute: true, rolling: 'batches' };
  }
  if ('command' in target) {
    const command = target.command;
    return {
      kind: 'command',
      instances: command.instances,
      headerRoute: command.headerRoute !== undefined,
      rolling: 'in-place',
    };
  }
  const servers = Object.values(target.nginx.slots).map((slot) => slot.servers.length);
  return { kind: 'nginx', instances: Math.max(1, ...servers), headerRoute: true, rolling: 'batches' };
}
