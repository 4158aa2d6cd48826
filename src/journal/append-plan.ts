// What an append batch writes, decided once for both backends: each backend reads the chain head, the
// deployments and their lease holders inside its transaction, asks `planAppend`, then writes the result.

import { isStatus, isTerminal, type Status } from '../deployment/status.js';
import { ErrorCode, GantryError } from '../errors.js';
import { canonicalJson, hashEvent } from './hash-chain.js';
import type { AppendRequest, AppendResult, ChainHead, JournalEvent, NewEvent } from './journal.js';

/** An event ready to insert: its record plus the exact JSON text its hash covers. */
export interface SealedEvent {
  event: JournalEvent;
  dataJson: string;
}

/** What the backend read about one deployment inside the transaction. */
export interface DeploymentState {
  /** Index of its last event, -1 when it has none. */
  lastIndex: number;
  /** Holder of its lease, if any. */
  leaseHolderId: string | undefined;
}

export interface AppendPlan {
  results: AppendResult[];
  inserts: SealedEvent[];
  /** Deployments touched by the batch, with the status their last status.changed event set (or undefined). */
  touched: Map<string, Status | undefined>;
  /** Deployments that reached a terminal status: their lock rows go. */
  releaseLocks: Set<string>;
  head: ChainHead;
}

export const STATUS_CHANGED = 'status.changed';

/**
 * Throws when a request could never be written: an empty type, data JSON cannot hold exactly, a bad `at`,
 * a status.changed event without a valid `data.to`. These are caller bugs, so they fail before any batching.
 */
export function validateAppendRequest(request: AppendRequest): void {
  for (const event of request.events) {
    const where = `deployment ${request.deploymentId}, event ${JSON.stringify(event.type)}`;
    const fail = (message: string) => new GantryError(ErrorCode.internal, message, { where });
    if (typeof event.type !== 'string' || event.type === '') throw fail('an event needs a non-empty type');
    try {
      canonicalJson(event.data ?? {});
    } catch (error) {
      throw fail(`event data cannot be stored as JSON: ${(error as Error).message}`);
    }
    if (event.at !== undefined && Number.isNaN(Date.parse(event.at)))
      throw fail(`"${event.at}" is not a time`);
    if (event.type === STATUS_CHANGED && !isStatus(event.data?.to)) {
      throw fail(`status.changed needs data.to to be a status, got ${JSON.stringify(event.data?.to)}`);
    }
  }
}

/** Seals one event onto the chain after `prevHash`. */
export function sealEvent(
  deploymentId: string,
  event: NewEvent,
  position: { seq: number; index: number; prevHash: string },
  nowIso: string,
): SealedEvent {
  const at = event.at === undefined ? nowIso : new Date(event.at).toISOString();
  const dataJson = canonicalJson(event.data ?? {});
  const fields = {
    seq: position.seq,
    deploymentId,
    index: position.index,
    at,
    type: event.type,
    actor: event.actor ?? null,
  };
  const hash = hashEvent(position.prevHash, fields, dataJson);
  return { event: { ...fields, data: JSON.parse(dataJson), prevHash: position.prevHash, hash }, dataJson };
}

/**
 * Decides each request's outcome in order and seals the events of those that may be written.
 * Throws (failing the whole transaction) on a malformed request; BatchingJournal screens those out first.
 */
export function planAppend(
  requests: readonly AppendRequest[],
  states: ReadonlyMap<string, DeploymentState>,
  head: ChainHead,
  nowIso: string,
): AppendPlan {
  for (const request of requests) validateAppendRequest(request);
  const plan: AppendPlan = {
    results: [],
    inserts: [],
    touched: new Map(),
    releaseLocks: new Set(),
    head: { ...head },
  };
  const lastIndex = new Map<string, number>();
  for (const request of requests) {
    const state = states.get(request.deploymentId);
    if (!state) {
      plan.results.push({ ok: false, reason: 'not_found' });
    } else if (request.fenceHolderId !== undefined && state.leaseHolderId !== request.fenceHolderId) {
      plan.results.push({ ok: false, reason: 'lease_lost' });
    } else {
      let index = lastIndex.get(request.deploymentId) ?? state.lastIndex;
      const events = request.events.map((event) => {
        const sealed = sealEvent(
          request.deploymentId,
          event,
          { seq: plan.head.seq + 1, index: ++index, prevHash: plan.head.hash },
          nowIso,
        );
        plan.head = { seq: sealed.event.seq, hash: sealed.event.hash };
        plan.inserts.push(sealed);
        noteStatus(plan, sealed.event);
        return sealed.event;
      });
      lastIndex.set(request.deploymentId, index);
      if (!plan.touched.has(request.deploymentId)) plan.touched.set(request.deploymentId, undefined);
      plan.results.push({ ok: true, events });
    }
  }
  return plan;
}

function noteStatus(plan: AppendPlan, event: JournalEvent): void {
  if (event.type !== STATUS_CHANGED || !isStatus(event.data.to)) return;
  plan.touched.set(event.deploymentId, event.data.to);
  // As if applied one by one: a later non-terminal status in the same batch does not take the lock back.
  if (isTerminal(event.data.to)) plan.releaseLocks.add(event.deploymentId);
}
