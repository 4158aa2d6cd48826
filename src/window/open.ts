// Whether a deployment window is open at an instant, and when it opens next.

import { DateTime } from 'luxon';
import type { Window } from '../plan/schema/window.js';
import { parseWindowRange, type WindowRange } from './range.js';

export type WindowState = { open: true } | { open: false; opensAt: Date | null; reason: string };

const SEARCH_STEP_MINUTES = 1;
const SEARCH_LIMIT_DAYS = 400;

export function windowState(window: Window, at: Date): WindowState {
  const local = DateTime.fromJSDate(at, { zone: window.timezone });
  const freeze = activeFreeze(window, local);
  if (freeze) {
    return {
      open: false,
      opensAt: nextOpening(window, at),
      reason: `freeze${freeze.reason ? ` (${freeze.reason})` : ''}`,
    };
  }
  if (inAllowedRange(window, local)) return { open: true };
  return {
    open: false,
    opensAt: nextOpening(window, at),
    reason: `outside ${window.allow.join(', ')} ${window.timezone}`,
  };
}

function ranges(window: Window): WindowRange[] {
  return window.allow.flatMap((text) => {
    const result = parseWindowRange(text);
    return result.ok ? [result.range] : [];
  });
}

function inAllowedRange(window: Window, local: DateTime): boolean {
  const all = ranges(window);
  if (all.length === 0) return true;
  const minute = local.hour * 60 + local.minute;
  return all.some((range) => {
    if (range.startMinute < range.endMinute) {
      return (
        range.weekdays.includes(local.weekday) && minute >= range.startMinute && minute < range.endMinute
      );
    }
    // Wraps midnight: the part after the start on a listed day, or before the end on the day after one.
    const yesterday = ((local.weekday + 5) % 7) + 1;
    return (
      (range.weekdays.includes(local.weekday) && minute >= range.startMinute) ||
      (range.weekdays.includes(yesterday) && minute < range.endMinute)
    );
  });
}

function activeFreeze(window: Window, local: DateTime) {
  return window.freeze.find((period) => {
    const from = DateTime.fromISO(period.from.replace(' ', 'T'), { zone: window.timezone });
    const toText = period.to.replace(' ', 'T');
    const to = DateTime.fromISO(toText, { zone: window.timezone });
    const end = toText.length === 10 ? to.plus({ days: 1 }) : to;
    return local >= from && local < end;
  });
}

/** The first minute after `at` when the window is open, or null when none within a year. */
function nextOpening(window: Window, at: Date): Date | null {
  let local = DateTime.fromJSDate(at, { zone: window.timezone }).startOf('minute').plus({ minutes: 1 });
  const limit = local.plus({ days: SEARCH_LIMIT_DAYS });
  while (local < limit) {
    if (!activeFreeze(window, local) && inAllowedRange(window, local)) return local.toJSDate();
    local = local.plus({ minutes: SEARCH_STEP_MINUTES });
  }
  return null;
}
