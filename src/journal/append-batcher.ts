// Collects append calls and commits them to the backend in batches, one batch at a time, in call order.

import { validateAppendRequest } from './append-plan.js';
import type { AppendRequest, AppendResult, Journal } from './journal.js';

interface PendingCall {
  requests: AppendRequest[];
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

export interface BatchingOptions {
  /** A batch closes once it holds this many events (a single larger call still goes whole). */
  maxBatchEvents?: number;
}

export class AppendBatcher {
  #pending: PendingCall[] = [];
  #scheduled = false;
  #inFlight: Promise<void> | undefined;

  constructor(
    private readonly inner: Pick<Journal, 'append'>,
    private readonly maxBatchEvents: number,
  ) {}

  append(requests: AppendRequest[]): Promise<AppendResult[]> {
    try {
      // A malformed request fails alone, here, instead of failing the batch it would have joined.
      for (const request of requests) validateAppendRequest(request);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ requests, resolve, reject });
      this.#schedule();
    });
  }

  async drain(): Promise<void> {
    while (this.#inFlight || this.#pending.length > 0) await (this.#inFlight ?? this.#flush());
  }

  /** setImmediate runs after the current turn's callbacks and microtasks: every append made in it joins. */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  #flush(): Promise<void> {
    // One commit at a time: batches then reach the backend in the order their calls were made.
    if (this.#inFlight) return this.#inFlight;
    const batch = this.#takeBatch();
    if (batch.length === 0) return Promise.resolve();
    this.#inFlight = this.#commit(batch).finally(() => {
      this.#inFlight = undefined;
      // Calls that arrived during the commit form the next batch.
      if (this.#pending.length > 0) this.#schedule();
    });
    return this.#inFlight;
  }

  #takeBatch(): PendingCall[] {
    let events = 0;
    let count = 0;
    for (const call of this.#pending) {
      const size = call.requests.reduce((sum, request) => sum + request.events.length, 0);
      if (count > 0 && events + size > this.maxBatchEvents) break;
      events += size;
      count++;
    }
    return this.#pending.splice(0, count);
  }

  async #commit(batch: PendingCall[]): Promise<void> {
    try {
      const results = await this.inner.append(batch.flatMap((call) => call.requests));
      let offset = 0;
      for (const call of batch) {
        call.resolve(results.slice(offset, offset + call.requests.length));
        offset += call.requests.length;
      }
    } catch (error) {
      // The transaction rolled back as a whole: nothing of this batch was written, so every caller hears it.
      for (const call of batch) call.reject(error);
    }
  }
}
