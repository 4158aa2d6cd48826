// Group commit in front of any Journal: appends made in the same turn of the event loop, or while a commit
// is in flight, go to the backend as one batch, so one fsync (or one Postgres round of locks) serves them all.
// With synchronous=FULL a commit costs a disk flush; batching is what lets a thousand concurrent
// deployments write thousands of events per second instead of a few hundred.

import { AppendBatcher, type BatchingOptions } from './append-batcher.js';
import type {
  AcquireLeaseResult,
  AppendRequest,
  AppendResult,
  ChainHead,
  CreateDeploymentResult,
  DeploymentFilter,
  DeploymentRecord,
  Journal,
  JournalEvent,
  Lease,
  LeaseHolder,
  NewDeployment,
  NewToken,
  StoredToken,
  TokenRecord,
  UserRecord,
} from './journal.js';

/** A Journal whose concurrent `append` calls share transactions; every other method passes straight through. */
export class BatchingJournal implements Journal {
  readonly #inner: Journal;
  readonly #batcher: AppendBatcher;

  constructor(inner: Journal, options: BatchingOptions = {}) {
    this.#inner = inner;
    this.#batcher = new AppendBatcher(inner, options.maxBatchEvents ?? 5_000);
  }

  get backend(): Journal['backend'] {
    return this.#inner.backend;
  }

  append(requests: AppendRequest[]): Promise<AppendResult[]> {
    return this.#batcher.append(requests);
  }

  /** Commits what is still waiting, then closes the backend. */
  async close(): Promise<void> {
    await this.#batcher.drain();
    await this.#inner.close();
  }

  migrate(): Promise<void> {
    return this.#inner.migrate();
  }

  createDeployment(input: NewDeployment): Promise<CreateDeploymentResult> {
    return this.#inner.createDeployment(input);
  }

  getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    return this.#inner.getDeployment(id);
  }

  listDeployments(filter?: DeploymentFilter): Promise<DeploymentRecord[]> {
    return this.#inner.listDeployments(filter);
  }

  lockHolder(service: string, environment: string): Promise<DeploymentRecord | undefined> {
    return this.#inner.lockHolder(service, environment);
  }

  takeQueuedLock(deploymentId: string): Promise<boolean> {
    return this.#inner.takeQueuedLock(deploymentId);
  }

  readEvents(deploymentId: string, fromIndex?: number): Promise<JournalEvent[]> {
    return this.#inner.readEvents(deploymentId, fromIndex);
  }

  readChain(afterSeq: number, limit: number): Promise<JournalEvent[]> {
    return this.#inner.readChain(afterSeq, limit);
  }

  chainHead(): Promise<ChainHead> {
    return this.#inner.chainHead();
  }

  acquireLease(
    deploymentId: string,
    holder: LeaseHolder,
    ttlMs: number,
    replacing?: string,
  ): Promise<AcquireLeaseResult> {
    return this.#inner.acquireLease(deploymentId, holder, ttlMs, replacing);
  }

  renewLease(deploymentId: string, holderId: string, ttlMs: number): Promise<boolean> {
    return this.#inner.renewLease(deploymentId, holderId, ttlMs);
  }

  releaseLease(deploymentId: string, holderId: string): Promise<void> {
    return this.#inner.releaseLease(deploymentId, holderId);
  }

  getLease(deploymentId: string): Promise<Lease | undefined> {
    return this.#inner.getLease(deploymentId);
  }

  putUser(name: string, roles: string[]): Promise<UserRecord> {
    return this.#inner.putUser(name, roles);
  }

  getUser(name: string): Promise<UserRecord | undefined> {
    return this.#inner.getUser(name);
  }

  listUsers(): Promise<UserRecord[]> {
    return this.#inner.listUsers();
  }

  createToken(token: NewToken): Promise<TokenRecord> {
    return this.#inner.createToken(token);
  }

  getToken(id: string): Promise<StoredToken | undefined> {
    return this.#inner.getToken(id);
  }

  listTokens(user?: string): Promise<TokenRecord[]> {
    return this.#inner.listTokens(user);
  }

  revokeToken(id: string): Promise<boolean> {
    return this.#inner.revokeToken(id);
  }
}

export type { BatchingOptions };
