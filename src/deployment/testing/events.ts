// Builds journal events for tests of the fold and the engine's decisions, without a database.

import type { JournalEvent } from '../../journal/journal.js';

export function eventsFrom(
  id: string,
  specs: Array<{ type: string; data?: Record<string, unknown>; actor?: string }>,
): JournalEvent[] {
  return specs.map((spec, index) => ({
    seq: index + 1,
    deploymentId: id,
    index,
    at: new Date(Date.UTC(2026, 0, 1, 12, 0, index)).toISOString(),
    type: spec.type,
    actor: spec.actor ?? 'engine',
    data: spec.data ?? {},
    prevHash: '',
    hash: '',
  }));
}
