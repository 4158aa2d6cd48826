// SQLite rows and the records they become: ISO text times, 0/1 booleans, JSON text.

import type { Status } from '../../deployment/status.js';
import { parseStoredData } from '../hash-chain.js';
import type { DeploymentRecord, JournalEvent, Lease, UserRecord } from '../journal.js';

const DEPLOYMENT_COLUMNS = [
  'id',
  'service',
  'environment',
  'version',
  'previous_version',
  'requested_by',
  'plan_hash',
  'plan',
  'status',
  'queued',
  'created_at',
  'updated_at',
];

/** The columns a DeploymentRow reads, optionally qualified by a table alias. */
export function deploymentColumns(alias?: string): string {
  return DEPLOYMENT_COLUMNS.map((column) => (alias ? `${alias}.${column}` : column)).join(', ');
}

export interface DeploymentRow {
  id: string;
  service: string;
  environment: string;
  version: string;
  previous_version: string | null;
  requested_by: string;
  plan_hash: string;
  plan: string;
  status: Status;
  queued: number;
  created_at: string;
  updated_at: string;
}

export function toDeployment(row: DeploymentRow): DeploymentRecord {
  return {
    id: row.id,
    service: row.service,
    environment: row.environment,
    version: row.version,
    previousVersion: row.previous_version,
    requestedBy: row.requested_by,
    planHash: row.plan_hash,
    plan: JSON.parse(row.plan),
    status: row.status,
    queued: row.queued === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const EVENT_COLUMNS = 'seq, deployment_id, event_index, at, type, actor, data, prev_hash, hash';

export interface EventRow {
  seq: number;
  deployment_id: string;
  event_index: number;
  at: string;
  type: string;
  actor: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

export function toEvent(row: EventRow): JournalEvent {
  return {
    seq: row.seq,
    deploymentId: row.deployment_id,
    index: row.event_index,
    at: row.at,
    type: row.type,
    actor: row.actor,
    data: parseStoredData(row.data),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export const LEASE_COLUMNS = 'deployment_id, holder_id, host, pid, epoch, acquired_at, expires_at';

export interface LeaseRow {
  deployment_id: string;
  holder_id: string;
  host: string;
  pid: number;
  epoch: number;
  acquired_at: string;
  expires_at: string;
}

export function toLease(row: LeaseRow): Lease {
  return {
    deploymentId: row.deployment_id,
    holderId: row.holder_id,
    host: row.host,
    pid: row.pid,
    epoch: row.epoch,
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
  };
}

export interface UserRow {
  name: string;
  roles: string;
  created_at: string;
}

export function toUser(row: UserRow): UserRecord {
  return { name: row.name, roles: JSON.parse(row.roles), createdAt: row.created_at };
}
