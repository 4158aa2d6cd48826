import { describe, expect, it } from 'vitest';
import { isGantryError } from '../errors.js';
import { BatchingJournal } from './batching.js';
import type { AppendRequest, AppendResult, Journal } from './journal.js';

/** A backend that records each batch it receives and answers each request with its own event count. */
function recordingBackend(
  options: { failNext?: Error; commitDelayMs?: number; maxBatchEvents?: number } = {},
) {
  const batches: string[][] = [];
  let closed = false;
  const backend = {
    backend: 'sqlite',
    async append(requests: AppendRequest[]): Promise<AppendResult[]> {
      batches.push(requests.map((r) => r.deploymentId));
      if (options.commitDelayMs) await new Promise((resolve) => setTimeout(resolve, options.commitDelayMs));
      if (options.failNext) {
        const error = options.failNext;
        options.failNext = undefined;
        throw error;
      }
      return requests.map((r) =>
        r.deploymentId === 'missing'
          ? { ok: false, reason: 'not_found' }
          : { ok: true, events: r.events.map(() => ({}) as never) },
      );
    },
    async close() {
      closed = true;
    },
  };
  return {
    journal: new BatchingJournal(backend as unknown as Journal, { maxBatchEvents: options.maxBatchEvents }),
    batches,
    isClosed: () => closed,
  };
}

const request = (deploymentId: string, events = 1): AppendRequest => ({
  deploymentId,
  events: Array.from({ length: events }, () => ({ type: 'tick' })),
});

describe('BatchingJournal', () => {
  it('sends the appends made in one turn of the event loop as one batch, answering each caller', async () => {
    const { journal, batches } = recordingBackend();

    const results = await Promise.all([
      journal.append([request('a')]),
      journal.append([request('b', 2), request('missing')]),
      journal.append([request('c')]),
    ]);

    expect(batches).toEqual([['a', 'b', 'missing', 'c']]);
    expect(results.map((r) => r.map((x) => (x.ok ? x.events.length : x.reason)))).toEqual([
      [1],
      [2, 'not_found'],
      [1],
    ]);
  });

  it('gathers the appends made while a commit is in flight into the next batch, in call order', async () => {
    const { journal, batches } = recordingBackend({ commitDelayMs: 30 });
    const first = journal.append([request('a')]);
    await new Promise((resolve) => setTimeout(resolve, 10));

    await Promise.all([first, journal.append([request('b')]), journal.append([request('c')])]);

    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('closes a batch at the event limit without splitting a call', async () => {
    const { journal, batches } = recordingBackend({ maxBatchEvents: 3 });

    await Promise.all([
      journal.append([request('a', 2)]),
      journal.append([request('b', 2)]),
      journal.append([request('c', 5)]),
    ]);

    expect(batches).toEqual([['a'], ['b'], ['c']]);
  });

  it('rejects a malformed append alone, before it can fail the batch it would join', async () => {
    const { journal, batches } = recordingBackend();

    const [bad, good] = await Promise.allSettled([
      journal.append([{ deploymentId: 'a', events: [{ type: 'status.changed', data: { to: 'done' } }] }]),
      journal.append([request('b')]),
    ]);

    expect(bad.status === 'rejected' && isGantryError(bad.reason, 'GANTRY_INTERNAL')).toBe(true);
    expect(good.status).toBe('fulfilled');
    expect(batches).toEqual([['b']]);
  });

  it('rejects every caller of a batch whose transaction failed, and carries on with the next', async () => {
    const failure = new Error('disk I/O error');
    const { journal, batches } = recordingBackend({ failNext: failure });

    const outcomes = await Promise.allSettled([
      journal.append([request('a')]),
      journal.append([request('b')]),
    ]);
    const next = await journal.append([request('c')]);

    expect(outcomes.map((o) => (o.status === 'rejected' ? o.reason : o.value))).toEqual([failure, failure]);
    expect(next).toMatchObject([{ ok: true }]);
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('commits what is waiting before closing the backend', async () => {
    const { journal, batches, isClosed } = recordingBackend({ commitDelayMs: 10 });
    const pending = journal.append([request('a')]);

    await journal.close();

    expect(batches).toEqual([['a']]);
    expect(isClosed()).toBe(true);
    await expect(pending).resolves.toHaveLength(1);
  });
});
