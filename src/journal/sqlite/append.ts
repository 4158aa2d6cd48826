// The group commit: a whole batch of append requests in one BEGIN IMMEDIATE transaction, so one fsync
// covers every event in it.

import { type DeploymentState, planAppend } from '../append-plan.js';
import { missingChainHead } from '../errors.js';
import type { AppendRequest, AppendResult, ChainHead, JournalEvent } from '../journal.js';
import type { Sql } from './sql.js';

export function append(sql: Sql, requests: readonly AppendRequest[]): AppendResult[] {
  if (requests.length === 0) return [];
  return sql.write(() => {
    const head = readHead(sql);
    const now = new Date().toISOString();
    const plan = planAppend(requests, readStates(sql, requests), head, now);
    for (const { event, dataJson } of plan.inserts) insertEvent(sql, event, dataJson);
    for (const [deploymentId, status] of plan.touched) {
      sql.run(
        'UPDATE deployments SET status = coalesce(?, status), updated_at = ? WHERE id = ?',
        status ?? null,
        now,
        deploymentId,
      );
    }
    for (const deploymentId of plan.releaseLocks)
      sql.run('DELETE FROM locks WHERE deployment_id = ?', deploymentId);
    if (plan.head.seq !== head.seq) {
      sql.run('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1', plan.head.seq, plan.head.hash);
    }
    return plan.results;
  });
}

/** The chain head; inside `sql.write` no other process can move it until commit. */
export function readHead(sql: Sql): ChainHead {
  const head = sql.get<ChainHead>('SELECT seq, hash FROM chain_head WHERE id = 1');
  if (!head) throw missingChainHead(sql.path);
  return head;
}

export function insertEvent(sql: Sql, event: JournalEvent, dataJson: string): void {
  sql.run(
    `INSERT INTO events (seq, deployment_id, event_index, at, type, actor, data, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    event.seq,
    event.deploymentId,
    event.index,
    event.at,
    event.type,
    event.actor,
    dataJson,
    event.prevHash,
    event.hash,
  );
}

function readStates(sql: Sql, requests: readonly AppendRequest[]): Map<string, DeploymentState> {
  const states = new Map<string, DeploymentState>();
  for (const { deploymentId } of requests) {
    if (states.has(deploymentId)) continue;
    const row = sql.get<{ last_index: number | null; holder_id: string | null }>(
      `SELECT (SELECT max(event_index) FROM events WHERE deployment_id = d.id) AS last_index, l.holder_id
       FROM deployments d LEFT JOIN leases l ON l.deployment_id = d.id WHERE d.id = ?`,
      deploymentId,
    );
    if (row)
      states.set(deploymentId, {
        lastIndex: row.last_index ?? -1,
        leaseHolderId: row.holder_id ?? undefined,
      });
  }
  return states;
}
