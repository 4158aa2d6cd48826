// What Gantry last applied to a data plane it does not run itself (command templates, nginx): which
// version is in which slot, the weights, the header route, maintenance. Operations compare the wanted
// state with this record and change only what differs; each change is recorded before (intent) and after
// (result) it is applied, so a re-run after a crash repeats the one declarative command that was cut off.

import type { TargetView, VersionView } from './target.js';

export interface AppliedVersion {
  version: string;
  /** The slot (color) it runs in; '' when versions replace each other in place. */
  slot: string;
  instances: number;
  /** `starting` while its start command runs (or was cut off); `failed` when that command failed. */
  status: 'starting' | 'running' | 'failed';
  /** A digest of the start command it was started with: a changed command starts it again. */
  startedWith?: string;
}

export interface AppliedState {
  versions: AppliedVersion[];
  /** Shares of traffic in percent, as last set. */
  weights: Record<string, number>;
  headerRoute: string | null;
  maintenance: { enabled: boolean; message?: string; retryAfterSeconds?: number };
}

export function emptyState(): AppliedState {
  return { versions: [], weights: {}, headerRoute: null, maintenance: { enabled: false } };
}

export function versionIn(state: AppliedState, version: string): AppliedVersion | undefined {
  return state.versions.find((v) => v.version === version);
}

/** The state with `version` as given (added, or replacing the entry of the same version). */
export function withVersion(state: AppliedState, entry: AppliedVersion): AppliedState {
  const others = state.versions.filter((v) => v.version !== entry.version);
  return { ...state, versions: [...others, entry] };
}

/** The state without `version`: no entry, no weight, no header route to it. */
export function withoutVersion(state: AppliedState, version: string): AppliedState {
  const { [version]: _gone, ...weights } = state.weights;
  return {
    ...state,
    versions: state.versions.filter((v) => v.version !== version),
    weights,
    headerRoute: state.headerRoute === version ? null : state.headerRoute,
  };
}

/**
 * `version` started in place of whatever ran in its slot: the versions it replaced are gone, and their
 * traffic is its traffic now (the data plane sends the slot's traffic to whatever runs there).
 */
export function replacingInSlot(state: AppliedState, entry: AppliedVersion): AppliedState {
  const replaced = state.versions.filter((v) => v.slot === entry.slot && v.version !== entry.version);
  let next = state;
  let inherited = state.weights[entry.version] ?? 0;
  for (const old of replaced) {
    inherited += state.weights[old.version] ?? 0;
    next = withoutVersion(next, old.version);
  }
  next = withVersion(next, entry);
  return inherited > 0 ? { ...next, weights: { ...next.weights, [entry.version]: inherited } } : next;
}

/** Shares with the versions that get nothing left out, for comparing two splits. */
export function sameShares(a: Record<string, number>, b: Record<string, number>): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].every((name) => Math.abs((a[name] ?? 0) - (b[name] ?? 0)) < 1e-9);
}

export function trafficOf(state: AppliedState, version: string): number {
  const routed = state.versions.filter((v) => v.status === 'running');
  const total = routed.reduce((sum, v) => sum + (state.weights[v.version] ?? 0), 0);
  const own = routed.some((v) => v.version === version) ? (state.weights[version] ?? 0) : 0;
  return total > 0 ? (own / total) * 100 : 0;
}

export function viewOfState(state: AppliedState, address: string, canaryHeader: string): TargetView {
  return {
    address,
    versions: state.versions.map(
      (v): VersionView => ({
        version: v.version,
        status: v.status === 'failed' ? 'failed' : v.status,
        instances: v.instances,
        healthyInstances: v.status === 'running' ? v.instances : 0,
        trafficPct: trafficOf(state, v.version),
      }),
    ),
    headerRoute: state.headerRoute,
    canaryHeader,
    maintenance: state.maintenance.enabled,
  };
}
