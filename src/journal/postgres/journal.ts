// The team journal: Postgres shared by several Gantry instances, possibly on different machines.

import { missingChainHead } from '../errors.js';
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
import { append } from './append.js';
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
import { connectPostgres, type Db, type Sql } from './sql.js';
import { createToken, getToken, listTokens, revokeToken } from './tokens.js';
import { getUser, listUsers, putUser } from './users.js';

export class PostgresJournal implements Journal {
  readonly backend = 'postgres';
  readonly #db: Db;

  /** Connects lazily: the first query (normally `migrate()`) reports an unreachable server. */
  static connect(url: string): PostgresJournal {
    return new PostgresJournal(connectPostgres(url));
  }

  constructor(db: Db) {
    this.#db = db;
  }

  /** host:port/database, safe to print. */
  get where(): string {
    return this.#db.where;
  }

  /** Reads outside a transaction: each is one statement, consistent on its own. */
  #read<T>(operation: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
    return fn({ query: (text, params) => this.#db.query(operation, text, params) });
  }

  migrate(): Promise<void> {
    return migrate(this.#db);
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  createDeployment(input: NewDeployment): Promise<CreateDeploymentResult> {
    return createDeployment(this.#db, input);
  }

  getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    return this.#read('read deployment', (sql) => getDeployment(sql, id));
  }

  listDeployments(filter: DeploymentFilter = {}): Promise<DeploymentRecord[]> {
    return this.#read('list deployments', (sql) => listDeployments(sql, filter));
  }

  lockHolder(service: string, environment: string): Promise<DeploymentRecord | undefined> {
    return this.#read('read lock', (sql) => lockHolder(sql, service, environment));
  }

  takeQueuedLock(deploymentId: string): Promise<boolean> {
    return takeQueuedLock(this.#db, deploymentId);
  }

  append(requests: AppendRequest[]): Promise<AppendResult[]> {
    return append(this.#db, requests);
  }

  async readEvents(deploymentId: string, fromIndex = 0): Promise<JournalEvent[]> {
    const rows = await this.#db.query<EventRow>(
      'read events',
      `SELECT ${EVENT_COLUMNS} FROM events WHERE deployment_id = $1 AND event_index >= $2 ORDER BY event_index`,
      [deploymentId, fromIndex],
    );
    return rows.map(toEvent);
  }

  async readChain(afterSeq: number, limit: number): Promise<JournalEvent[]> {
    const rows = await this.#db.query<EventRow>(
      'read chain',
      `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map(toEvent);
  }

  async chainHead(): Promise<ChainHead> {
    const [row] = await this.#db.query<{ seq: string; hash: string }>(
      'read chain head',
      'SELECT seq, hash FROM chain_head WHERE id = 1',
    );
    if (!row) throw missingChainHead(this.#db.where);
    return { seq: Number(row.seq), hash: row.hash };
  }

  acquireLease(
    deploymentId: string,
    holder: LeaseHolder,
    ttlMs: number,
    replacing?: string,
  ): Promise<AcquireLeaseResult> {
    return acquireLease(this.#db, deploymentId, holder, ttlMs, replacing);
  }

  renewLease(deploymentId: string, holderId: string, ttlMs: number): Promise<boolean> {
    return renewLease(this.#db, deploymentId, holderId, ttlMs);
  }

  releaseLease(deploymentId: string, holderId: string): Promise<void> {
    return releaseLease(this.#db, deploymentId, holderId);
  }

  getLease(deploymentId: string): Promise<Lease | undefined> {
    return this.#read('read lease', (sql) => getLease(sql, deploymentId));
  }

  putUser(name: string, roles: string[]): Promise<UserRecord> {
    return this.#read('save user', (sql) => putUser(sql, name, roles));
  }

  getUser(name: string): Promise<UserRecord | undefined> {
    return this.#read('read user', (sql) => getUser(sql, name));
  }

  listUsers(): Promise<UserRecord[]> {
    return this.#read('list users', listUsers);
  }

  createToken(token: NewToken): Promise<TokenRecord> {
    return createToken(this.#db, token);
  }

  getToken(id: string): Promise<StoredToken | undefined> {
    return this.#read('read token', (sql) => getToken(sql, id));
  }

  listTokens(user?: string): Promise<TokenRecord[]> {
    return this.#read('list tokens', (sql) => listTokens(sql, user));
  }

  revokeToken(id: string): Promise<boolean> {
    return this.#read('revoke token', (sql) => revokeToken(sql, id));
  }
}
