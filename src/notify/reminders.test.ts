import { describe, expect, it } from 'vitest';
import { EVENT } from '../deployment/events.js';
import { foldEvents } from '../deployment/state.js';
import { eventsFrom } from '../deployment/testing/events.js';
import type { Reminder } from '../plan/schema/notify.js';
import { reminderSchedule } from './reminders.js';

const HOUR = 3_600_000;
const reminders: Reminder[] = [
  { before: 24 * HOUR, channels: ['all-team'] },
  { before: HOUR, channels: ['deployments'], message: 'shop-api 2.0.0 goes out tonight' },
];
const opensAt = new Date('2026-01-03T02:00:00.000Z');
const created = {
  type: EVENT.created,
  data: {
    service: 'shop-api',
    environment: 'production',
    version: '2.0.0',
    previousVersion: null,
    planHash: 'h',
  },
};
const sent = (channel: string, key: string) => ({
  type: EVENT.notificationSent,
  data: { channel, event: 'reminder', key, attempts: 1 },
});

function schedule(
  extra: Array<{ type: string; data: Record<string, unknown> }>,
  at: string,
  opening = opensAt,
) {
  return reminderSchedule(
    foldEvents(eventsFrom('d-1', [created, ...extra])),
    reminders,
    opening,
    {},
    Date.parse(at),
  );
}

describe('reminderSchedule', () => {
  it('sends each reminder at its time before the window opens, saying how long is left', () => {
    const early = schedule([], '2026-01-01T12:00:00.000Z');
    expect(early.due).toEqual([]);
    expect(early.nextAtMs).toBe(Date.parse('2026-01-02T02:00:00.000Z'));
    const dayBefore = schedule([], '2026-01-02T02:00:00.000Z');
    expect(dayBefore.due).toEqual([
      {
        key: 'reminder:2026-01-03T02:00:00.000Z:0',
        channels: ['all-team'],
        message: {
          event: 'reminder',
          severity: 'info',
          title: 'shop-api 2.0.0 → production: the deployment window opens in 1d',
          text: 'shop-api 2.0.0 → production: the deployment window opens in 1d (opens at 2026-01-03T02:00:00.000Z).',
          window: { opensAt: '2026-01-03T02:00:00.000Z' },
        },
        record: { event: 'reminder', severity: 'info' },
      },
    ]);
    expect(dayBefore.nextAtMs).toBe(Date.parse('2026-01-03T01:00:00.000Z'));
  });

  it('never repeats a reminder the journal holds, and sends the plan message for the next', () => {
    const done = [sent('all-team', 'reminder:2026-01-03T02:00:00.000Z:0')];
    expect(schedule(done, '2026-01-02T03:00:00.000Z').due).toEqual([]);
    const hourBefore = schedule(done, '2026-01-03T01:00:00.000Z');
    expect(hourBefore.due.map((n) => [n.key, n.channels, n.message.text])).toEqual([
      [
        'reminder:2026-01-03T02:00:00.000Z:1',
        ['deployments'],
        'shop-api 2.0.0 goes out tonight (the window opens at 2026-01-03T02:00:00.000Z)',
      ],
    ]);
  });

  it('sends the reminders already due at once when the deployment starts waiting late', () => {
    const late = schedule([], '2026-01-03T01:30:00.000Z');
    expect(late.due.map((n) => [n.channels, n.message.title])).toEqual([
      [['all-team'], 'shop-api 2.0.0 → production: the deployment window opens in 30m'],
      [['deployments'], 'shop-api 2.0.0 → production: the deployment window opens in 30m'],
    ]);
  });

  it('sends nothing once the window has opened, or when the deployment waits for no window', () => {
    expect(schedule([], '2026-01-03T02:00:00.000Z')).toEqual({ due: [] });
    expect(
      reminderSchedule(
        foldEvents(eventsFrom('d-1', [created])),
        reminders,
        undefined,
        {},
        Date.parse('2026-01-03T01:30:00.000Z'),
      ),
    ).toEqual({ due: [] });
  });
});
