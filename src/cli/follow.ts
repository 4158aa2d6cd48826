// Follows a deployment's journal and prints each new event as it lands, until it ends (or stops for an operator).

import { foldEvents } from '../deployment/state.js';
import { isTerminal, type Status } from '../deployment/status.js';
import type { Journal } from '../journal/journal.js';
import { renderEvents } from './render.js';

export interface FollowOptions {
  fromIndex?: number;
  pollMs?: number;
  /** Also stop when the deployment comes to need an operator (interrupted after following began). */
  stopOnInterrupted?: boolean;
  print?: (text: string) => void;
  withOutput?: boolean;
}

/** Follows through anything that reads a deployment's events: the journal, or a server. */
export async function follow(
  journal: Pick<Journal, 'readEvents'>,
  id: string,
  options: FollowOptions = {},
): Promise<Status> {
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  let nextIndex = options.fromIndex ?? 0;
  const all = await journal.readEvents(id, 0);
  let state = foldEvents(all);
  const initial = all.slice(nextIndex);
  if (initial.length > 0) print(renderEvents(initial, options.withOutput));
  nextIndex = state.eventCount;
  // An interruption already there when following began is being answered (`resume --retry --wait`).
  const followedFrom = state.eventCount;
  for (;;) {
    const newlyInterrupted = state.status === 'interrupted' && state.statusSinceEvent >= followedFrom;
    if (isTerminal(state.status) || (options.stopOnInterrupted && newlyInterrupted)) return state.status;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 300));
    const fresh = await journal.readEvents(id, nextIndex);
    if (fresh.length === 0) continue;
    print(renderEvents(fresh, options.withOutput));
    state = foldEvents(fresh, state);
    nextIndex = state.eventCount;
  }
}
