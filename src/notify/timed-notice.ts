// A notification due at a time rather than on an event (escalation levels, window reminders): what to
// send, to which channels not yet told, and how the journal records it so it is never sent twice.

import type { Notification } from './notification.js';

export interface TimedNotice {
  /** Journaled with each delivery; the fold keeps the channels done per key. */
  key: string;
  /** The channels still to tell (those already journaled under the key are left out). */
  channels: string[];
  message: Pick<Notification, 'event' | 'severity' | 'title' | 'text' | 'escalation' | 'window'>;
  /** Fields journaled with each delivery besides channel and outcome. */
  record: { event: 'escalation' | 'reminder' | 'acknowledged'; level?: number; severity: string };
}

export interface NoticeSchedule {
  due: TimedNotice[];
  /** When the next notice falls due, if one is still to come. */
  nextAtMs?: number;
}

export const NOTHING_DUE: NoticeSchedule = { due: [] };

/** The channels of `wanted` not yet journaled under `key`. */
export function stillToTell(
  notified: Record<string, string[]>,
  key: string,
  wanted: readonly string[],
): string[] {
  const done = notified[key] ?? [];
  return [...new Set(wanted)].filter((channel) => !done.includes(channel));
}
