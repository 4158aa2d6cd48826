// Deployment leases on the database clock, so Gantry instances on machines with drifting clocks agree on
// when a lease has expired.

import { deploymentNotFound } from '../errors.js';
import type { AcquireLeaseResult, Lease, LeaseHolder } from '../journal.js';
import { decideLease } from '../locking.js';
import { LEASE_COLUMNS, type LeaseRow, toLease } from './rows.js';
import type { Db, Sql } from './sql.js';

const EXPIRES = "now() + $2::float8 * interval '1 millisecond'";

export async function getLease(sql: Sql, deploymentId: string): Promise<Lease | undefined> {
  const [row] = await sql.query<LeaseRow>(`SELECT ${LEASE_COLUMNS} FROM leases WHERE deployment_id = $1`, [
    deploymentId,
  ]);
  return row && toLease(row);
}

export function acquireLease(
  db: Db,
  deploymentId: string,
  holder: LeaseHolder,
  ttlMs: number,
  replacing: string | undefined,
): Promise<AcquireLeaseResult> {
  return db.transaction('acquire lease', async (sql) => {
    // Two rounds at most: when no lease row exists, a rival may insert one first; then decide again on it.
    for (let round = 0; ; round++) {
      const [current] = await sql.query<LeaseRow & { expired: boolean }>(
        `SELECT ${LEASE_COLUMNS}, expires_at <= now() AS expired FROM leases WHERE deployment_id = $1 FOR UPDATE`,
        [deploymentId],
      );
      const decision = decideLease(
        current && { holderId: current.holder_id, expired: current.expired },
        holder.holderId,
        replacing,
      );
      if (decision === 'refuse') return { acquired: false, lease: toLease(current as LeaseRow) };
      if (decision === 'extend') {
        const [row] = await sql.query<LeaseRow>(
          `UPDATE leases SET expires_at = ${EXPIRES} WHERE deployment_id = $1 RETURNING ${LEASE_COLUMNS}`,
          [deploymentId, ttlMs],
        );
        return { acquired: true, lease: toLease(row as LeaseRow) };
      }
      if (current || (await claimFreeLease(sql, deploymentId, holder, ttlMs))) {
        return { acquired: true, lease: await takeLease(sql, deploymentId, holder, ttlMs) };
      }
      if (round > 0) throw new Error(`the lease of ${deploymentId} changed hands twice while acquiring it`);
    }
  });
}

/** Inserts a lease row where none exists; false when a rival inserted one first (it is then visible to us). */
async function claimFreeLease(
  sql: Sql,
  deploymentId: string,
  holder: LeaseHolder,
  ttlMs: number,
): Promise<boolean> {
  const [deployment] = await sql.query('SELECT 1 FROM deployments WHERE id = $1', [deploymentId]);
  if (!deployment) throw deploymentNotFound(deploymentId, 'acquire a lease');
  const inserted = await sql.query(
    `INSERT INTO leases (deployment_id, holder_id, host, pid, epoch, acquired_at, expires_at)
     VALUES ($1, $3, $4, $5, 0, now(), ${EXPIRES}) ON CONFLICT (deployment_id) DO NOTHING RETURNING deployment_id`,
    [deploymentId, ttlMs, holder.holderId, holder.host, holder.pid],
  );
  return inserted.length > 0;
}

/** Gives the (locked) lease row to `holder` with the deployment's next epoch, which never goes back. */
async function takeLease(sql: Sql, deploymentId: string, holder: LeaseHolder, ttlMs: number): Promise<Lease> {
  const [epoch] = await sql.query<{ lease_epoch: string }>(
    'UPDATE deployments SET lease_epoch = lease_epoch + 1 WHERE id = $1 RETURNING lease_epoch',
    [deploymentId],
  );
  const [row] = await sql.query<LeaseRow>(
    `UPDATE leases SET holder_id = $3, host = $4, pid = $5, epoch = $6, acquired_at = now(), expires_at = ${EXPIRES}
     WHERE deployment_id = $1 RETURNING ${LEASE_COLUMNS}`,
    [deploymentId, ttlMs, holder.holderId, holder.host, holder.pid, epoch?.lease_epoch],
  );
  return toLease(row as LeaseRow);
}

export async function renewLease(
  db: Db,
  deploymentId: string,
  holderId: string,
  ttlMs: number,
): Promise<boolean> {
  const rows = await db.query(
    'renew lease',
    `UPDATE leases SET expires_at = ${EXPIRES} WHERE deployment_id = $1 AND holder_id = $3 RETURNING deployment_id`,
    [deploymentId, ttlMs, holderId],
  );
  return rows.length > 0;
}

export async function releaseLease(db: Db, deploymentId: string, holderId: string): Promise<void> {
  await db.query('release lease', 'DELETE FROM leases WHERE deployment_id = $1 AND holder_id = $2', [
    deploymentId,
    holderId,
  ]);
}
