// One poller per engine reads the journal's global chain and hands each deployment's new events to its
// run: approvals and operator commands written by other processes reach a running deployment this way.

import type { Journal, JournalEvent } from '../journal/journal.js';

const PAGE = 2_000;

export class ChainFeed {
  private afterSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly journal: Journal,
    private readonly pollMs: number,
    private readonly deliver: (deploymentId: string, events: JournalEvent[]) => void,
  ) {}

  async start(): Promise<void> {
    if (this.timer) return;
    this.afterSeq = (await this.journal.chainHead()).seq;
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (;;) {
        const events = await this.journal.readChain(this.afterSeq, PAGE);
        if (events.length === 0) break;
        this.afterSeq = events[events.length - 1]?.seq ?? this.afterSeq;
        for (const [id, group] of groupByDeployment(events)) this.deliver(id, group);
        if (events.length < PAGE) break;
      }
    } catch {
      // A failed poll is retried on the next tick; appends surface journal failures to the runs.
    } finally {
      this.polling = false;
    }
  }
}

function groupByDeployment(events: JournalEvent[]): Map<string, JournalEvent[]> {
  const groups = new Map<string, JournalEvent[]>();
  for (const event of events) {
    const group = groups.get(event.deploymentId);
    if (group) group.push(event);
    else groups.set(event.deploymentId, [event]);
  }
  return groups;
}
