// `gantry audit verify`: walks the whole chain page by page and names every edit, removal and reordering
// in words a person can act on. Memory grows with the number of deployments, not of events.

import { canonicalJson, GENESIS_HASH, hashEvent } from './hash-chain.js';
import type { ChainHead, Journal, JournalEvent } from './journal.js';

export type AuditProblemKind = 'edited' | 'missing' | 'reordered' | 'unlinked' | 'added' | 'head_mismatch';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The event the problem was found at; null for the chain as a whole. */
  seq: number | null;
  deploymentId: string | null;
  index: number | null;
  type: string | null;
  message: string;
}

export interface AuditReport {
  ok: boolean;
  eventsChecked: number;
  deployments: number;
  /** The chain head when the walk started; events appended since are left for the next run. */
  head: ChainHead;
  problems: AuditProblem[];
  /** Problems found beyond `maxProblems`, counted but not listed. */
  problemsOmitted: number;
}

export interface VerifyOptions {
  pageSize?: number;
  maxProblems?: number;
}

/** What the hash check found: nothing wrong, an edit, or an event moved from another position. */
type ContentProblem = 'edited' | 'moved' | undefined;

/** How far from its position an event is searched for when its hash matches another seq. */
const MOVED_WINDOW = 16;

export async function verifyChain(journal: Journal, options: VerifyOptions = {}): Promise<AuditReport> {
  const pageSize = options.pageSize ?? 1_000;
  const walk = new ChainWalk(options.maxProblems ?? 1_000);
  const head = await journal.chainHead();
  let afterSeq = 0;
  for (;;) {
    const page = await journal.readChain(afterSeq, pageSize);
    const inHead = page.filter((event) => event.seq <= head.seq);
    for (const event of inHead) walk.check(event);
    if (inHead.length < pageSize) break;
    afterSeq = inHead[inHead.length - 1]?.seq ?? afterSeq;
  }
  walk.checkHead(head);
  // Every append moves the head in its own transaction, so an event beyond a head read after it was
  // never appended by Gantry.
  const beyond = await journal.readChain(head.seq, pageSize);
  walk.checkBeyondHead(beyond, await journal.chainHead());
  return {
    ok: walk.problems.length + walk.omitted === 0,
    eventsChecked: walk.eventsChecked,
    deployments: walk.lastIndex.size,
    head,
    problems: walk.problems,
    problemsOmitted: walk.omitted,
  };
}

class ChainWalk {
  readonly problems: AuditProblem[] = [];
  readonly lastIndex = new Map<string, number>();
  omitted = 0;
  eventsChecked = 0;
  #lastSeq = 0;
  #lastHash = GENESIS_HASH;
  #recentHashes: string[] = [];

  constructor(private readonly maxProblems: number) {}

  check(event: JournalEvent): void {
    this.eventsChecked++;
    const gap = event.seq > this.#lastSeq + 1;
    if (gap) {
      const first = this.#lastSeq + 1;
      const range = event.seq - 1 === first ? `seq ${first} is` : `seq ${first}–${event.seq - 1} are`;
      this.#report('missing', event, `events before it are gone: ${range} missing from the chain (removed)`);
    }
    const content = this.#checkContent(event);
    // Right after a reordering the link points at a nearby event instead: already reported as moved.
    const linksNearby = this.#recentHashes.includes(event.prevHash);
    if (!gap && content !== 'moved' && event.prevHash !== this.#lastHash && !linksNearby) {
      this.#report(
        'unlinked',
        event,
        `its prev_hash does not match the hash of seq ${this.#lastSeq}: that event was rewritten, or replaced by another`,
      );
    }
    this.#checkIndex(event, content);
    this.#lastSeq = event.seq;
    this.#lastHash = event.hash;
    this.#recentHashes.push(event.hash);
    if (this.#recentHashes.length > 2 * MOVED_WINDOW) this.#recentHashes.shift();
  }

  checkHead(head: ChainHead): void {
    if (head.seq > this.#lastSeq) {
      const range =
        head.seq === this.#lastSeq + 1 ? `seq ${head.seq}` : `seq ${this.#lastSeq + 1}–${head.seq}`;
      this.#report(
        'missing',
        null,
        `the chain head records ${head.seq} events but the chain ends at seq ${this.#lastSeq}: the last events (${range}) were removed`,
      );
    } else if (head.hash !== this.#lastHash) {
      this.#report(
        'head_mismatch',
        null,
        `the chain head's hash does not match the last event (seq ${this.#lastSeq}): the end of the chain was rewritten`,
      );
    }
  }

  checkBeyondHead(events: readonly JournalEvent[], head: ChainHead): void {
    const first = events.find((event) => event.seq > head.seq);
    if (first) {
      this.#report(
        'added',
        first,
        `it lies beyond the chain head (seq ${head.seq}): it was added outside Gantry`,
      );
    }
  }

  #checkContent(event: JournalEvent): ContentProblem {
    const dataJson = canonicalJson(event.data);
    if (hashEvent(event.prevHash, event, dataJson) === event.hash) return undefined;
    const writtenAt = findWrittenSeq(event, dataJson);
    if (writtenAt !== undefined) {
      this.#report(
        'reordered',
        event,
        `it was written as seq ${writtenAt} and now sits at seq ${event.seq}: events were reordered`,
      );
      return 'moved';
    }
    this.#report('edited', event, 'its content does not match its hash: it was edited after it was written');
    return 'edited';
  }

  #checkIndex(event: JournalEvent, content: ContentProblem): void {
    const last = this.lastIndex.get(event.deploymentId);
    const expected = last === undefined ? 0 : last + 1;
    // An edited or moved event was reported once already; its index proves nothing more. An edited one
    // is taken to sit at its expected place, so the events after it are not reported as well.
    if (content === 'edited') {
      this.lastIndex.set(event.deploymentId, expected);
      return;
    }
    if (content === undefined && event.index > expected) {
      const range =
        event.index - 1 === expected ? `event ${expected} is` : `events ${expected}–${event.index - 1} are`;
      const from = last === undefined ? 'its start' : `event ${last}`;
      this.#report(
        'missing',
        event,
        `deployment ${event.deploymentId} skips from ${from} to event ${event.index}: ${range} missing (removed)`,
      );
    } else if (content === undefined && event.index < expected) {
      this.#report(
        'reordered',
        event,
        `deployment ${event.deploymentId}'s event ${event.index} comes after its event ${last}: its events were reordered or duplicated`,
      );
    }
    this.lastIndex.set(event.deploymentId, Math.max(event.index, last ?? -1));
  }

  #report(kind: AuditProblemKind, event: JournalEvent | null, what: string): void {
    if (this.problems.length >= this.maxProblems) {
      this.omitted++;
      return;
    }
    const subject = event
      ? `seq ${event.seq} (deployment ${event.deploymentId}, event ${event.index}, ${event.type})`
      : 'the chain';
    this.problems.push({
      kind,
      seq: event?.seq ?? null,
      deploymentId: event?.deploymentId ?? null,
      index: event?.index ?? null,
      type: event?.type ?? null,
      message: `${subject}: ${what}.`,
    });
  }
}

/** The seq this event's hash was computed with, when it is near its current place: the mark of a moved event. */
function findWrittenSeq(event: JournalEvent, dataJson: string): number | undefined {
  for (let distance = 1; distance <= MOVED_WINDOW; distance++) {
    for (const seq of [event.seq - distance, event.seq + distance]) {
      if (seq >= 1 && hashEvent(event.prevHash, { ...event, seq }, dataJson) === event.hash) return seq;
    }
  }
  return undefined;
}
