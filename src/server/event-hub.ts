// One poller of the journal's global chain per server, fanned out to live streams (per deployment and
// for everything) and to the server's own metrics. Events written by any process reach it this way.

import { ChainFeed } from '../engine/feed.js';
import type { Journal, JournalEvent } from '../journal/journal.js';

export type EventListener = (events: JournalEvent[]) => void;

const ALL = '*';

export class EventHub {
  private readonly listeners = new Map<string, Set<EventListener>>();
  private readonly feed: ChainFeed;

  constructor(journal: Journal, pollMs = 250) {
    this.feed = new ChainFeed(journal, pollMs, (id, events) => this.deliver(id, events));
  }

  start(): Promise<void> {
    return this.feed.start();
  }

  stop(): void {
    this.feed.stop();
  }

  /** Listens to one deployment's new events, or every deployment's with no id. Returns the unsubscribe. */
  subscribe(listener: EventListener, deploymentId: string = ALL): () => void {
    const set = this.listeners.get(deploymentId) ?? new Set<EventListener>();
    this.listeners.set(deploymentId, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(deploymentId);
    };
  }

  private deliver(deploymentId: string, events: JournalEvent[]): void {
    for (const key of [deploymentId, ALL]) {
      for (const listener of this.listeners.get(key) ?? []) {
        try {
          listener(events);
        } catch {
          // A broken stream must not stop the others; its connection closes on its own.
        }
      }
    }
  }
}
