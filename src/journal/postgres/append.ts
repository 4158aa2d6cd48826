// The group commit: a whole batch of append requests in one transaction that holds the chain head row,
// so events from every process and machine form one linear chain.

import { type DeploymentState, planAppend, type SealedEvent } from '../append-plan.js';
import { missingChainHead } from '../errors.js';
import type { AppendRequest, AppendResult, ChainHead } from '../journal.js';
import type { Db, Sql } from './sql.js';

export function append(db: Db, requests: readonly AppendRequest[]): Promise<AppendResult[]> {
  if (requests.length === 0) return Promise.resolve([]);
  return db.transaction('append', async (sql) => {
    const { head, nowIso } = await lockHead(sql);
    const plan = planAppend(requests, await readStates(sql, requests), head, nowIso);
    await insertEvents(sql, plan.inserts);
    if (plan.touched.size > 0) {
      await sql.query(
        `UPDATE deployments d SET status = coalesce(u.status, d.status), updated_at = $3
         FROM unnest($1::text[], $2::text[]) AS u (id, status) WHERE d.id = u.id`,
        [[...plan.touched.keys()], [...plan.touched.values()].map((status) => status ?? null), nowIso],
      );
    }
    if (plan.releaseLocks.size > 0) {
      await sql.query('DELETE FROM locks WHERE deployment_id = ANY ($1::text[])', [[...plan.releaseLocks]]);
    }
    if (plan.head.seq !== head.seq) {
      await sql.query('UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1', [
        plan.head.seq,
        plan.head.hash,
      ]);
    }
    return plan.results;
  });
}

/**
 * Locks the chain head row until commit and reads the database clock once the lock is held, so event
 * times from different machines follow the chain order. Every transaction that adds events or changes
 * a service/environment lock starts here, which also serializes those.
 */
export async function lockHead(sql: Sql): Promise<{ head: ChainHead; nowIso: string }> {
  const [row] = await sql.query<{ seq: string; hash: string; now: Date }>(
    'UPDATE chain_head SET seq = seq WHERE id = 1 RETURNING seq, hash, clock_timestamp() AS now',
  );
  if (!row) throw missingChainHead('chain_head');
  return { head: { seq: Number(row.seq), hash: row.hash }, nowIso: row.now.toISOString() };
}

export async function insertEvents(sql: Sql, sealed: readonly SealedEvent[]): Promise<void> {
  if (sealed.length === 0) return;
  // One statement however many events: unnest takes one array per column instead of 9 parameters per row.
  await sql.query(
    `INSERT INTO events (seq, deployment_id, event_index, at, type, actor, data, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
       $8::text[], $9::text[])`,
    [
      sealed.map(({ event }) => event.seq),
      sealed.map(({ event }) => event.deploymentId),
      sealed.map(({ event }) => event.index),
      sealed.map(({ event }) => event.at),
      sealed.map(({ event }) => event.type),
      sealed.map(({ event }) => event.actor),
      sealed.map(({ dataJson }) => dataJson),
      sealed.map(({ event }) => event.prevHash),
      sealed.map(({ event }) => event.hash),
    ],
  );
}

async function readStates(
  sql: Sql,
  requests: readonly AppendRequest[],
): Promise<Map<string, DeploymentState>> {
  const ids = [...new Set(requests.map((request) => request.deploymentId))];
  const rows = await sql.query<{ id: string; last_index: number | null }>(
    `SELECT d.id, (SELECT max(event_index) FROM events e WHERE e.deployment_id = d.id) AS last_index
     FROM deployments d WHERE d.id = ANY ($1::text[])`,
    [ids],
  );
  const fenced = [
    ...new Set(requests.filter((r) => r.fenceHolderId !== undefined).map((r) => r.deploymentId)),
  ];
  // FOR SHARE: a takeover of one of these leases waits for this commit, so a fenced-out holder cannot
  // slip events in after losing the lease.
  const holders =
    fenced.length === 0
      ? []
      : await sql.query<{ deployment_id: string; holder_id: string }>(
          'SELECT deployment_id, holder_id FROM leases WHERE deployment_id = ANY ($1::text[]) FOR SHARE',
          [fenced],
        );
  const holderOf = new Map(holders.map((row) => [row.deployment_id, row.holder_id]));
  return new Map(
    rows.map((row) => [row.id, { lastIndex: row.last_index ?? -1, leaseHolderId: holderOf.get(row.id) }]),
  );
}
