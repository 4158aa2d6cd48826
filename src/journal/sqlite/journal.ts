// The embedded journal: one SQLite file shared by the CLI and detached engine processes on this machine.

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
} from '../journal.js';
import { append, readHead } from './append.js';
import {
  createDeployment,
  getDeployment,
  listDeployments,
  lockHolder,
  takeQueuedLock,
} from './deployments.js';
import { acquireLease, getLease, releaseLease, renewLease } from './leases.js';
import { migrate } from './migrate.js';
import { EVENT_COLUMNS, type EventRow, toEvent } from './rows.js';
import { attempt, openSqlite, type Sql } from './sql.js';
import { createToken, getToken, listTokens, revokeToken } from './tokens.js';
import { getUser, listUsers, putUser } from './users.js';

export class SqliteJournal implements Journal {
  readonly backend = 'sqlite';
  readonly #sql: Sql;

  /** Opens (creating if needed) the database file; call `migrate()` before use. */
  static open(path: string): SqliteJournal {
    return new SqliteJournal(attempt(path, 'open', () => openSqlite(path)));
  }

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** better-sqlite3 is synchronous; each method still returns a promise so callers see one Journal shape. */
  #run<T>(operation: string, fn: (sql: Sql) => T): Promise<T> {
    return new Promise((resolve) => resolve(attempt(this.#sql.path, operation, () => fn(this.#sql))));
  }

  migrate(): Promise<void> {
    return this.#run('migrate', migrate);
  }

  close(): Promise<void> {
    return this.#run('close', (sql) => sql.close());
  }

  createDeployment(input: NewDeployment): Promise<CreateDeploymentResult> {
    return this.#run('create deployment', (sql) => createDeployment(sql, input));
  }

  getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    return this.#run('read deployment', (sql) => getDeployment(sql, id));
  }

  listDeployments(filter: DeploymentFilter = {}): Promise<DeploymentRecord[]> {
    return this.#run('list deployments', (sql) => listDeployments(sql, filter));
  }

  lockHolder(service: string, environment: string): Promise<DeploymentRecord | undefined> {
    return this.#run('read lock', (sql) => lockHolder(sql, service, environment));
  }

  takeQueuedLock(deploymentId: string): Promise<boolean> {
    return this.#run('take queued lock', (sql) => takeQueuedLock(sql, deploymentId));
  }

  append(requests: AppendRequest[]): Promise<AppendResult[]> {
    return this.#run('append', (sql) => append(sql, requests));
  }

  readEvents(deploymentId: string, fromIndex = 0): Promise<JournalEvent[]> {
    return this.#run('read events', (sql) =>
      sql
        .all<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE deployment_id = ? AND event_index >= ? ORDER BY event_index`,
          deploymentId,
          fromIndex,
        )
        .map(toEvent),
    );
  }

  readChain(afterSeq: number, limit: number): Promise<JournalEvent[]> {
    return this.#run('read chain', (sql) =>
      sql
        .all<EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`,
          afterSeq,
          limit,
        )
        .map(toEvent),
    );
  }

  chainHead(): Promise<ChainHead> {
    return this.#run('read chain head', readHead);
  }

  acquireLease(
    deploymentId: string,
    holder: LeaseHolder,
    ttlMs: number,
    replacing?: string,
  ): Promise<AcquireLeaseResult> {
    return this.#run('acquire lease', (sql) => acquireLease(sql, deploymentId, holder, ttlMs, replacing));
  }

  renewLease(deploymentId: string, holderId: string, ttlMs: number): Promise<boolean> {
    return this.#run('renew lease', (sql) => renewLease(sql, deploymentId, holderId, ttlMs));
  }

  releaseLease(deploymentId: string, holderId: string): Promise<void> {
    return this.#run('release lease', (sql) => releaseLease(sql, deploymentId, holderId));
  }

  getLease(deploymentId: string): Promise<Lease | undefined> {
    return this.#run('read lease', (sql) => getLease(sql, deploymentId));
  }

  putUser(name: string, roles: string[]): Promise<UserRecord> {
    return this.#run('save user', (sql) => putUser(sql, name, roles));
  }

  getUser(name: string): Promise<UserRecord | undefined> {
    return this.#run('read user', (sql) => getUser(sql, name));
  }

  listUsers(): Promise<UserRecord[]> {
    return this.#run('list users', listUsers);
  }

  createToken(token: NewToken): Promise<TokenRecord> {
    return this.#run('create token', (sql) => createToken(sql, token));
  }

  getToken(id: string): Promise<StoredToken | undefined> {
    return this.#run('read token', (sql) => getToken(sql, id));
  }

  listTokens(user?: string): Promise<TokenRecord[]> {
    return this.#run('list tokens', (sql) => listTokens(sql, user));
  }

  revokeToken(id: string): Promise<boolean> {
    return this.#run('revoke token', (sql) => revokeToken(sql, id));
  }
}
