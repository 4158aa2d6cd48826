// Creating deployments and handing out the service/environment lock, each in one BEGIN IMMEDIATE transaction.

import type { Status } from '../../deployment/status.js';
import { sealEvent } from '../append-plan.js';
import { duplicateId } from '../errors.js';
import type {
  CreateDeploymentResult,
  DeploymentFilter,
  DeploymentRecord,
  NewDeployment,
} from '../journal.js';
import { decideNewDeployment, type LockRow, mayTakeQueuedLock, TERMINAL_SQL } from '../locking.js';
import { insertEvent, readHead } from './append.js';
import { type DeploymentRow, deploymentColumns, toDeployment } from './rows.js';
import type { Sql } from './sql.js';

export function getDeployment(sql: Sql, id: string): DeploymentRecord | undefined {
  const row = sql.get<DeploymentRow>(`SELECT ${deploymentColumns()} FROM deployments WHERE id = ?`, id);
  return row && toDeployment(row);
}

/** Newest first. */
export function listDeployments(sql: Sql, filter: DeploymentFilter): DeploymentRecord[] {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.service !== undefined) {
    where.push('service = ?');
    params.push(filter.service);
  }
  if (filter.environment !== undefined) {
    where.push('environment = ?');
    params.push(filter.environment);
  }
  if (filter.statuses !== undefined) {
    where.push(`status IN (${filter.statuses.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...filter.statuses);
  }
  const rows = sql.all<DeploymentRow>(
    `SELECT ${deploymentColumns()} FROM deployments ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY created_seq DESC LIMIT ?`,
    ...params,
    filter.limit ?? -1,
  );
  return rows.map(toDeployment);
}

export function createDeployment(sql: Sql, input: NewDeployment): CreateDeploymentResult {
  return sql.write(() => {
    if (getDeployment(sql, input.id)) throw duplicateId(input.id);
    const decision = decideNewDeployment(
      readLock(sql, input.service, input.environment),
      firstQueuedId(sql, input.service, input.environment),
      input.queue,
    );
    if (decision.kind === 'refuse') {
      return { created: false, holder: getDeployment(sql, decision.holderId) as DeploymentRecord };
    }
    const now = new Date().toISOString();
    const head = readHead(sql);
    const created = sealEvent(
      input.id,
      { type: 'deployment.created', data: input.createdEvent, actor: input.requestedBy },
      { seq: head.seq + 1, index: 0, prevHash: head.hash },
      now,
    );
    sql.run(
      `INSERT INTO deployments (id, service, environment, version, previous_version, requested_by, plan_hash, plan,
         status, queued, created_seq, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
      input.id,
      input.service,
      input.environment,
      input.version,
      input.previousVersion,
      input.requestedBy,
      input.planHash,
      JSON.stringify(input.plan),
      decision.kind === 'queue' ? 1 : 0,
      created.event.seq,
      now,
      now,
    );
    insertEvent(sql, created.event, created.dataJson);
    sql.run('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1', created.event.seq, created.event.hash);
    if (decision.kind === 'take') takeLock(sql, input.service, input.environment, input.id, now);
    return { created: true, deployment: getDeployment(sql, input.id) as DeploymentRecord };
  });
}

export function takeQueuedLock(sql: Sql, deploymentId: string): boolean {
  return sql.write(() => {
    const deployment = getDeployment(sql, deploymentId);
    if (!deployment) return false;
    const lock = readLock(sql, deployment.service, deployment.environment);
    if (lock?.deploymentId === deploymentId) return true;
    if (
      !mayTakeQueuedLock(deployment, lock, firstQueuedId(sql, deployment.service, deployment.environment))
    ) {
      return false;
    }
    const now = new Date().toISOString();
    takeLock(sql, deployment.service, deployment.environment, deploymentId, now);
    sql.run('UPDATE deployments SET queued = 0, updated_at = ? WHERE id = ?', now, deploymentId);
    return true;
  });
}

/** The live holder of a lock; a stale lock (terminal or missing holder) has none. */
export function lockHolder(sql: Sql, service: string, environment: string): DeploymentRecord | undefined {
  const row = sql.get<DeploymentRow>(
    `SELECT ${deploymentColumns('d')} FROM locks l JOIN deployments d ON d.id = l.deployment_id
     WHERE l.service = ? AND l.environment = ? AND d.status NOT IN (${TERMINAL_SQL})`,
    service,
    environment,
  );
  return row && toDeployment(row);
}

function readLock(sql: Sql, service: string, environment: string): LockRow | undefined {
  const row = sql.get<{ deployment_id: string; status: Status | null }>(
    `SELECT l.deployment_id, d.status FROM locks l LEFT JOIN deployments d ON d.id = l.deployment_id
     WHERE l.service = ? AND l.environment = ?`,
    service,
    environment,
  );
  return row && { deploymentId: row.deployment_id, holderStatus: row.status ?? undefined };
}

function firstQueuedId(sql: Sql, service: string, environment: string): string | undefined {
  return sql.get<{ id: string }>(
    `SELECT id FROM deployments WHERE service = ? AND environment = ? AND queued = 1 AND status NOT IN (${TERMINAL_SQL})
     ORDER BY created_seq LIMIT 1`,
    service,
    environment,
  )?.id;
}

function takeLock(sql: Sql, service: string, environment: string, deploymentId: string, now: string): void {
  sql.run(
    `INSERT INTO locks (service, environment, deployment_id, acquired_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (service, environment) DO UPDATE SET deployment_id = excluded.deployment_id, acquired_at = excluded.acquired_at`,
    service,
    environment,
    deploymentId,
    now,
  );
}
