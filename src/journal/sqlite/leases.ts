// Deployment leases on one machine's clock: every process sharing the SQLite file runs on the same host.

import { deploymentNotFound } from '../errors.js';
import type { AcquireLeaseResult, Lease, LeaseHolder } from '../journal.js';
import { decideLease } from '../locking.js';
import { LEASE_COLUMNS, type LeaseRow, toLease } from './rows.js';
import type { Sql } from './sql.js';

export function getLease(sql: Sql, deploymentId: string): Lease | undefined {
  const row = sql.get<LeaseRow>(`SELECT ${LEASE_COLUMNS} FROM leases WHERE deployment_id = ?`, deploymentId);
  return row && toLease(row);
}

export function acquireLease(
  sql: Sql,
  deploymentId: string,
  holder: LeaseHolder,
  ttlMs: number,
  replacing: string | undefined,
): AcquireLeaseResult {
  return sql.write(() => {
    const deployment = sql.get<{ lease_epoch: number }>(
      'SELECT lease_epoch FROM deployments WHERE id = ?',
      deploymentId,
    );
    if (!deployment) throw deploymentNotFound(deploymentId, 'acquire a lease');
    const current = getLease(sql, deploymentId);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    const decision = decideLease(
      current && { holderId: current.holderId, expired: Date.parse(current.expiresAt) <= now.getTime() },
      holder.holderId,
      replacing,
    );
    if (decision === 'refuse') return { acquired: false, lease: current as Lease };
    if (decision === 'extend') {
      sql.run('UPDATE leases SET expires_at = ? WHERE deployment_id = ?', expiresAt, deploymentId);
    } else {
      const epoch = deployment.lease_epoch + 1;
      sql.run(
        `INSERT INTO leases (deployment_id, holder_id, host, pid, epoch, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (deployment_id) DO UPDATE SET holder_id = excluded.holder_id, host = excluded.host, pid = excluded.pid,
           epoch = excluded.epoch, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
        deploymentId,
        holder.holderId,
        holder.host,
        holder.pid,
        epoch,
        now.toISOString(),
        expiresAt,
      );
      sql.run('UPDATE deployments SET lease_epoch = ? WHERE id = ?', epoch, deploymentId);
    }
    return { acquired: true, lease: getLease(sql, deploymentId) as Lease };
  });
}

export function renewLease(sql: Sql, deploymentId: string, holderId: string, ttlMs: number): boolean {
  const expiresAt = new Date(Date.now() + ttlMs).toISOString();
  return sql.write(
    () =>
      sql.run(
        'UPDATE leases SET expires_at = ? WHERE deployment_id = ? AND holder_id = ?',
        expiresAt,
        deploymentId,
        holderId,
      ) > 0,
  );
}

export function releaseLease(sql: Sql, deploymentId: string, holderId: string): void {
  sql.write(() =>
    sql.run('DELETE FROM leases WHERE deployment_id = ? AND holder_id = ?', deploymentId, holderId),
  );
}
