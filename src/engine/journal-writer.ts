// Appends a run's events (redacted, fenced by its lease) and keeps its folded state current,
// including events other processes appended in between (approvals, operator commands).

import { applyEvent, type DeploymentState } from '../deployment/state.js';
import type { Journal, JournalEvent, NewEvent } from '../journal/journal.js';
import type { Redactor } from '../secrets/redactor.js';
import { LeaseLostError } from './errors.js';

export class JournalWriter {
  private listeners: Array<(events: JournalEvent[]) => void> = [];
  private leaseLostListeners: Array<() => void> = [];

  constructor(
    private readonly journal: Journal,
    private readonly deploymentId: string,
    readonly holderId: string,
    private readonly redactor: Redactor,
    public state: DeploymentState,
  ) {}

  onApplied(listener: (events: JournalEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Called when an append is fenced out: another engine holds the lease now. */
  onLeaseLost(listener: () => void): void {
    this.leaseLostListeners.push(listener);
  }

  async append(...events: NewEvent[]): Promise<JournalEvent[]> {
    const redacted = events.map((event) => ({
      ...event,
      data: this.redactor.value(event.data ?? {}),
      actor: event.actor ?? this.holderId,
    }));
    const [result] = await this.journal.append([
      { deploymentId: this.deploymentId, events: redacted, fenceHolderId: this.holderId },
    ]);
    if (!result?.ok) {
      // Stop the whole run at once, not only this append's caller: a step started without waiting for its
      // start event (an idempotent one) must not keep running for an engine that is no longer the owner.
      if (result?.reason === 'lease_lost') for (const listener of this.leaseLostListeners) listener();
      throw new LeaseLostError(this.deploymentId);
    }
    const first = result.events[0];
    if (first && first.index > this.state.eventCount) await this.catchUp();
    this.apply(result.events);
    return result.events;
  }

  /** Folds events seen by the engine's chain feed; the ones already folded are ignored. */
  apply(events: JournalEvent[]): void {
    const fresh = events.filter((event) => event.index >= this.state.eventCount);
    if (fresh.length === 0) return;
    if ((fresh[0]?.index ?? 0) > this.state.eventCount) {
      void this.catchUp();
      return;
    }
    for (const event of fresh) this.state = applyEvent(this.state, event);
    for (const listener of this.listeners) listener(fresh);
  }

  /** Reads whatever this run has not folded yet, so no external event is skipped. */
  async catchUp(): Promise<void> {
    const missing = await this.journal.readEvents(this.deploymentId, this.state.eventCount);
    if (missing.length > 0) this.apply(missing);
  }
}
