// The analysis as it stood at a given event: the latest decision and each metric's latest value. Recorded
// with an approval, so the audit shows what the approver was looking at when they said yes.

import type { JournalEvent } from '../journal/journal.js';
import { type AnalysisSeen, EVENT } from './events.js';

export function analysisSeen(events: readonly JournalEvent[], upToIndex?: number): AnalysisSeen | undefined {
  const last = upToIndex ?? events.length - 1;
  const latest = new Map<string, { metric: string; value: number; at: string }>();
  let decision: AnalysisSeen['decision'];
  for (const event of events) {
    if (event.index > last) break;
    if (event.type === EVENT.measurement && typeof event.data.metric === 'string') {
      const value = Number(event.data.value);
      if (Number.isFinite(value))
        latest.set(event.data.metric, { metric: event.data.metric, value, at: event.at });
    } else if (event.type === EVENT.decision) {
      const explanation = String(event.data.explanation ?? event.data.reason ?? '');
      decision = { tier: String(event.data.tier ?? ''), explanation, at: event.at };
    }
  }
  if (!decision && latest.size === 0) return undefined;
  return {
    atEventIndex: Math.min(last, events.at(-1)?.index ?? 0),
    ...(decision ? { decision } : {}),
    measurements: [...latest.values()],
  };
}
