// Recurring allowed ranges: "Mon-Fri 02:00-06:00", "Sat,Sun 00:00-24:00", "daily 22:00-02:00" (wraps midnight).

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export interface WindowRange {
  /** ISO weekdays (1 = Monday … 7 = Sunday) on which the range starts. */
  weekdays: number[];
  startMinute: number;
  /** Exclusive; may be below startMinute when the range wraps past midnight. */
  endMinute: number;
}

export type WindowRangeResult = { ok: true; range: WindowRange } | { ok: false; message: string };

const SHAPE = /^\s*(\S+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/;

export function parseWindowRange(text: string): WindowRangeResult {
  const match = SHAPE.exec(text);
  if (!match) return { ok: false, message: 'expected "DAYS HH:MM-HH:MM", such as "Mon-Fri 02:00-06:00"' };
  const weekdays = parseDays(match[1] as string);
  if (!weekdays)
    return { ok: false, message: `"${match[1]}" is not a day list; use Mon-Fri, Sat,Sun or daily` };
  const startMinute = parseClock(match[2] as string);
  const endMinute = parseClock(match[3] as string);
  if (startMinute === undefined || endMinute === undefined || startMinute === 1440) {
    return { ok: false, message: 'times are HH:MM between 00:00 and 24:00' };
  }
  if (startMinute === endMinute)
    return { ok: false, message: 'the range is empty: start and end are the same' };
  return { ok: true, range: { weekdays, startMinute, endMinute } };
}

function parseDays(text: string): number[] | undefined {
  const lower = text.toLowerCase();
  if (lower === 'daily' || lower === 'every' || lower === 'mon-sun') return [1, 2, 3, 4, 5, 6, 7];
  const days = new Set<number>();
  for (const part of lower.split(',')) {
    const [from, to] = part.split('-');
    const start = dayNumber(from);
    const end = to === undefined ? start : dayNumber(to);
    if (start === undefined || end === undefined) return undefined;
    for (let day = start; ; day = (day % 7) + 1) {
      days.add(day);
      if (day === end) break;
    }
  }
  return [...days].sort();
}

function dayNumber(text: string | undefined): number | undefined {
  const index = DAYS.indexOf((text ?? '').slice(0, 3) as (typeof DAYS)[number]);
  return index === -1 ? undefined : index + 1;
}

function parseClock(text: string): number | undefined {
  const [hours, minutes] = text.split(':').map(Number) as [number, number];
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes !== 0)) return undefined;
  return hours * 60 + minutes;
}
