// Creating deployments and handing out the service/environment lock. Each transaction first locks the
// chain head (see append.ts), which serializes lock decisions across every Gantry process sharing the database.

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
import { insertEvents, lockHead } from './append.js';
import { type DeploymentRow, deploymentColumns, toDeployment } from './rows.js';
import type { Db, Sql } from './sql.js';

export async function getDeployment(sql: Sql, id: string): Promise<DeploymentRecord | undefined> {
  const [row] = await sql.query<DeploymentRow>(
    `SELECT ${deploymentColumns()} FROM deployments WHERE id = $1`,
    [id],
  );
  return row && toDeployment(row);
}

/** Newest first. */
export async function listDeployments(sql: Sql, filter: DeploymentFilter): Promise<DeploymentRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.service !== undefined) where.push(`service = ${param(filter.service)}`);
  if (filter.environment !== undefined) where.push(`environment = ${param(filter.environment)}`);
  if (filter.statuses !== undefined) where.push(`status = ANY (${param(filter.statuses)}::text[])`);
  const rows = await sql.query<DeploymentRow>(
    `SELECT ${deploymentColumns()} FROM deployments ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY created_seq DESC LIMIT ${param(filter.limit ?? null)}`,
    params,
  );
  return rows.map(toDeployment);
}

export function createDeployment(db: Db, input: NewDeployment): Promise<CreateDeploymentResult> {
  return db.transaction('create deployment', async (sql) => {
    const { head, nowIso } = await lockHead(sql);
    if (await getDeployment(sql, input.id)) throw duplicateId(input.id);
    const decision = decideNewDeployment(
      await readLock(sql, input.service, input.environment),
      await firstQueuedId(sql, input.service, input.environment),
      input.queue,
    );
    if (decision.kind === 'refuse') {
      return { created: false, holder: (await getDeployment(sql, decision.holderId)) as DeploymentRecord };
    }
    const created = sealEvent(
      input.id,
      { type: 'deployment.created', data: input.createdEvent, actor: input.requestedBy },
      { seq: head.seq + 1, index: 0, prevHash: head.hash },
      nowIso,
    );
    await sql.query(
      `INSERT INTO deployments (id, service, environment, version, previous_version, requested_by, plan_hash, plan,
         status, queued, created_seq, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $11)`,
      [
        input.id,
        input.service,
        input.environment,
        input.version,
        input.previousVersion,
        input.requestedBy,
        input.planHash,
        JSON.stringify(input.plan),
        decision.kind === 'queue',
        created.event.seq,
        nowIso,
      ],
    );
    await insertEvents(sql, [created]);
    await sql.query('UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1', [
      created.event.seq,
      created.event.hash,
    ]);
    if (decision.kind === 'take') await takeLock(sql, input.service, input.environment, input.id, nowIso);
    return { created: true, deployment: (await getDeployment(sql, input.id)) as DeploymentRecord };
  });
}

export function takeQueuedLock(db: Db, deploymentId: string): Promise<boolean> {
  return db.transaction('take queued lock', async (sql) => {
    const { nowIso } = await lockHead(sql);
    const deployment = await getDeployment(sql, deploymentId);
    if (!deployment) return false;
    const lock = await readLock(sql, deployment.service, deployment.environment);
    if (lock?.deploymentId === deploymentId) return true;
    const first = await firstQueuedId(sql, deployment.service, deployment.environment);
    if (!mayTakeQueuedLock(deployment, lock, first)) return false;
    await takeLock(sql, deployment.service, deployment.environment, deploymentId, nowIso);
    await sql.query('UPDATE deployments SET queued = false, updated_at = $2 WHERE id = $1', [
      deploymentId,
      nowIso,
    ]);
    return true;
  });
}

/** The live holder of a lock; a stale lock (terminal or missing holder) has none. */
export async function lockHolder(
  sql: Sql,
  service: string,
  environment: string,
): Promise<DeploymentRecord | undefined> {
  const [row] = await sql.query<DeploymentRow>(
    `SELECT ${deploymentColumns('d')} FROM locks l JOIN deployments d ON d.id = l.deployment_id
     WHERE l.service = $1 AND l.environment = $2 AND d.status NOT IN (${TERMINAL_SQL})`,
    [service, environment],
  );
  return row && toDeployment(row);
}

async function readLock(sql: Sql, service: string, environment: string): Promise<LockRow | undefined> {
  const [row] = await sql.query<{ deployment_id: string; status: Status | null }>(
    `SELECT l.deployment_id, d.status FROM locks l LEFT JOIN deployments d ON d.id = l.deployment_id
     WHERE l.service = $1 AND l.environment = $2`,
    [service, environment],
  );
  return row && { deploymentId: row.deployment_id, holderStatus: row.status ?? undefined };
}

async function firstQueuedId(sql: Sql, service: string, environment: string): Promise<string | undefined> {
  const [row] = await sql.query<{ id: string }>(
    `SELECT id FROM deployments WHERE service = $1 AND environment = $2 AND queued AND status NOT IN (${TERMINAL_SQL})
     ORDER BY created_seq LIMIT 1`,
    [service, environment],
  );
  return row?.id;
}

async function takeLock(
  sql: Sql,
  service: string,
  environment: string,
  deploymentId: string,
  nowIso: string,
): Promise<void> {
  await sql.query(
    `INSERT INTO locks (service, environment, deployment_id, acquired_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (service, environment) DO UPDATE SET deployment_id = excluded.deployment_id, acquired_at = excluded.acquired_at`,
    [service, environment, deploymentId, nowIso],
  );
}
