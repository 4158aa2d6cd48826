import { describe, expect, it } from 'vitest';
import { sealEvent } from './append-plan.js';
import { verifyChain } from './audit.js';
import { GENESIS_HASH } from './hash-chain.js';
import type { ChainHead, Journal, JournalEvent } from './journal.js';

/** `count` events over two deployments, sealed the way the backends seal them. */
function sealedChain(count: number): JournalEvent[] {
  const events: JournalEvent[] = [];
  const indexes = new Map<string, number>();
  for (let seq = 1; seq <= count; seq++) {
    const deploymentId = seq % 2 === 0 ? 'dep-even' : 'dep-odd';
    const index = indexes.get(deploymentId) ?? 0;
    indexes.set(deploymentId, index + 1);
    const prevHash = events.at(-1)?.hash ?? GENESIS_HASH;
    events.push(
      sealEvent(
        deploymentId,
        { type: 'tick', data: { seq } },
        { seq, index, prevHash },
        '2030-01-01T00:00:00.000Z',
      ).event,
    );
  }
  return events;
}

/** Just enough Journal for the audit: the chain and a head that may lag or lead it. */
function chainJournal(events: JournalEvent[], heads: ChainHead[]): Journal {
  let reads = 0;
  return {
    chainHead: async () => heads[Math.min(reads++, heads.length - 1)] as ChainHead,
    readChain: async (afterSeq: number, limit: number) =>
      events.filter((e) => e.seq > afterSeq).slice(0, limit),
  } as unknown as Journal;
}

const headOf = (events: JournalEvent[], seq = events.length): ChainHead => ({
  seq,
  hash: events[seq - 1]?.hash ?? GENESIS_HASH,
});

describe('verifyChain', () => {
  it('walks a chain longer than one page', async () => {
    const events = sealedChain(7);

    const report = await verifyChain(chainJournal(events, [headOf(events)]), { pageSize: 2 });

    expect(report).toMatchObject({ ok: true, eventsChecked: 7, deployments: 2 });
  });

  it('leaves events appended after the walk began for the next run', async () => {
    const events = sealedChain(7);

    const report = await verifyChain(chainJournal(events, [headOf(events, 5), headOf(events)]), {
      pageSize: 2,
    });

    expect(report).toMatchObject({ ok: true, eventsChecked: 5, head: { seq: 5 } });
  });

  it('names events lying beyond the chain head, which Gantry never wrote', async () => {
    const events = sealedChain(7);

    const report = await verifyChain(chainJournal(events, [headOf(events, 5)]));

    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'added',
        seq: 6,
        message: expect.stringMatching(/added outside Gantry/),
      }),
    ]);
  });

  it('names a chain head that does not match the last event', async () => {
    const events = sealedChain(3);

    const report = await verifyChain(chainJournal(events, [{ seq: 3, hash: 'f'.repeat(64) }]));

    expect(report.problems).toEqual([expect.objectContaining({ kind: 'head_mismatch', seq: null })]);
  });

  it('names an edited event once, even when the edit broke its deployment index', async () => {
    const events = sealedChain(4);
    const [, , third] = events;
    if (third) third.index = 0;

    const report = await verifyChain(chainJournal(events, [headOf(events)]));

    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([['edited', 3]]);
  });

  it('lists at most maxProblems and counts the rest', async () => {
    const events = sealedChain(10).map((event) => ({ ...event, data: { edited: true } }));

    const report = await verifyChain(chainJournal(events, [headOf(events)]), { maxProblems: 3 });

    expect(report).toMatchObject({ ok: false, eventsChecked: 10, problemsOmitted: 7 });
    expect(report.problems).toHaveLength(3);
  });
});
