// The Journal: where deployments, their append-only hash-chained events, leases, locks and users live.
// sqlite/ and postgres/ implement it with the same files; one conformance suite runs against both.

import type { Status } from '../deployment/status.js';

export interface NewDeployment {
  id: string;
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  requestedBy: string;
  /** Hash of the expanded steps; resume refuses a different one unless the operator re-plans. */
  planHash: string;
  /** The plan as the deployment started it: source text, path and parsed form. */
  plan: PlanSnapshot;
  /** Wait for the service/environment lock instead of being refused. */
  queue: boolean;
  /** Data for the first event, `deployment.created`. */
  createdEvent: Record<string, unknown>;
}

export interface PlanSnapshot {
  path: string;
  source: string;
}

export interface DeploymentRecord {
  id: string;
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  requestedBy: string;
  planHash: string;
  plan: PlanSnapshot;
  status: Status;
  queued: boolean;
  createdAt: string;
  updatedAt: string;
}

export type CreateDeploymentResult =
  | { created: true; deployment: DeploymentRecord }
  /** The service/environment is locked by `holder` and the request did not ask to queue. */
  | { created: false; holder: DeploymentRecord };

export interface DeploymentFilter {
  service?: string;
  environment?: string;
  statuses?: readonly Status[];
  limit?: number;
}

export interface NewEvent {
  type: string;
  data?: Record<string, unknown>;
  /** Who caused it: a user name, or the engine holder id. */
  actor?: string | null;
  /** ISO time it happened; the journal's clock when omitted. */
  at?: string;
}

export interface JournalEvent {
  /** Position in the global chain, from 1, without gaps. */
  seq: number;
  deploymentId: string;
  /** Position within the deployment, from 0, without gaps. */
  index: number;
  at: string;
  type: string;
  actor: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AppendRequest {
  deploymentId: string;
  events: NewEvent[];
  /** When set, the append succeeds only while this holder owns the deployment's lease. */
  fenceHolderId?: string;
}

export type AppendResult =
  | { ok: true; events: JournalEvent[] }
  | { ok: false; reason: 'lease_lost' | 'not_found' };

export interface LeaseHolder {
  holderId: string;
  host: string;
  pid: number;
}

export interface Lease extends LeaseHolder {
  deploymentId: string;
  epoch: number;
  acquiredAt: string;
  expiresAt: string;
}

export type AcquireLeaseResult = { acquired: true; lease: Lease } | { acquired: false; lease: Lease };

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface UserRecord {
  name: string;
  roles: string[];
  createdAt: string;
}

export interface NewToken {
  /** The public part of the token, shown in listings and used to revoke it. */
  id: string;
  user: string;
  /** Hex SHA-256 of the secret part; the secret itself is never stored. */
  secretHash: string;
  description?: string;
  /** ISO time; null for a token that never expires. */
  expiresAt: string | null;
}

export interface TokenRecord {
  id: string;
  user: string;
  description: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface StoredToken extends TokenRecord {
  secretHash: string;
}

export interface Journal {
  readonly backend: 'sqlite' | 'postgres';
  /** Applies pending numbered migrations, each recorded in its own transaction. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Creates the deployment and its `deployment.created` event, taking the service/environment lock in the same transaction. */
  createDeployment(input: NewDeployment): Promise<CreateDeploymentResult>;
  getDeployment(id: string): Promise<DeploymentRecord | undefined>;
  /** Newest first. */
  listDeployments(filter?: DeploymentFilter): Promise<DeploymentRecord[]>;
  /** The deployment holding the lock of this service/environment, if any. */
  lockHolder(service: string, environment: string): Promise<DeploymentRecord | undefined>;
  /** For a queued deployment: takes the lock when it is free and this is the oldest waiting deployment. */
  takeQueuedLock(deploymentId: string): Promise<boolean>;

  /**
   * Appends every request's events in one transaction, chaining each to the previous event.
   * A `status.changed` event updates the deployment's status; a terminal one releases its lock.
   * A fenced request whose holder lost the lease is refused alone; the others still commit.
   */
  append(requests: AppendRequest[]): Promise<AppendResult[]>;
  /** The events of one deployment from `fromIndex`, in order. */
  readEvents(deploymentId: string, fromIndex?: number): Promise<JournalEvent[]>;
  /** The global chain after `afterSeq`, in order, at most `limit` events. */
  readChain(afterSeq: number, limit: number): Promise<JournalEvent[]>;
  chainHead(): Promise<ChainHead>;

  /**
   * Takes the lease if it is free, expired, or held by `replacing` (a holder known to be dead), with the
   * deployment's next epoch (epochs never go back, even across a release). A holder asking again for the
   * lease it holds extends it and keeps its epoch. Throws GANTRY_DEPLOYMENT_NOT_FOUND for an unknown deployment.
   */
  acquireLease(
    deploymentId: string,
    holder: LeaseHolder,
    ttlMs: number,
    replacing?: string,
  ): Promise<AcquireLeaseResult>;
  /** Extends the lease; false when another holder has taken it. */
  renewLease(deploymentId: string, holderId: string, ttlMs: number): Promise<boolean>;
  releaseLease(deploymentId: string, holderId: string): Promise<void>;
  getLease(deploymentId: string): Promise<Lease | undefined>;

  putUser(name: string, roles: string[]): Promise<UserRecord>;
  getUser(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;

  /** Stores a token for an existing user; throws GANTRY_USER_NOT_FOUND for an unknown one. */
  createToken(token: NewToken): Promise<TokenRecord>;
  /** The token with its secret hash, for checking a presented secret. */
  getToken(id: string): Promise<StoredToken | undefined>;
  /** Oldest first; only this user's when `user` is given. */
  listTokens(user?: string): Promise<TokenRecord[]>;
  /** Marks the token revoked; false when there is no such token or it was revoked already. */
  revokeToken(id: string): Promise<boolean>;
}
