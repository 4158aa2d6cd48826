import { describe, expect, it } from 'vitest';
import { EVENT } from '../deployment/events.js';
import { foldEvents } from '../deployment/state.js';
import { eventsFrom } from '../deployment/testing/events.js';
import type { EscalationLadder } from '../plan/schema/notify.js';
import { escalationSchedule } from './escalation.js';

const MIN = 60_000;
const ladder: EscalationLadder = {
  on: ['interrupted', 'paused', 'failed'],
  levels: [
    { after: 0, channels: ['oncall'] },
    { after: 15 * MIN, channels: ['team-lead'] },
    { after: 30 * MIN, channels: ['vp-eng', 'oncall'] },
  ],
};

type Spec = { type: string; data?: Record<string, unknown>; actor?: string };
const created: Spec = {
  type: EVENT.created,
  data: {
    service: 'shop-api',
    environment: 'production',
    version: '2.0.0',
    previousVersion: '1.9.0',
    planHash: 'h',
  },
  actor: 'alice',
};
const status = (from: string, to: string, reason = 'step steps[1] was cut off'): Spec => ({
  type: EVENT.statusChanged,
  data: { from, to, reason },
});
const sent = (channel: string, key: string, level?: number): Spec => ({
  type: EVENT.notificationSent,
  data: { channel, event: 'escalation', key, attempts: 1, ...(level ? { level } : {}) },
});

/** The deployment became interrupted at event 2, 12:00:02 UTC. */
const stuck: Spec[] = [created, status('pending', 'running'), status('running', 'interrupted')];
const sinceMs = Date.parse('2026-01-01T12:00:02.000Z');

function schedule(events: Spec[], atMs: number) {
  return escalationSchedule(foldEvents(eventsFrom('d-1', events)), ladder, false, {}, atMs);
}
const dueOf = (events: Spec[], atMs: number) =>
  schedule(events, atMs).due.map((notice) => [notice.key, notice.channels]);

describe('escalationSchedule', () => {
  it('pages the first level at once, critical for an interrupted deployment, and waits for the next', () => {
    const result = schedule(stuck, sinceMs);
    expect(result.due).toHaveLength(1);
    expect(result.due[0]).toMatchObject({
      key: 'escalation:2:1',
      channels: ['oncall'],
      record: { event: 'escalation', level: 1, severity: 'critical' },
      message: {
        event: 'interrupted',
        severity: 'critical',
        title: 'shop-api 2.0.0 → production was interrupted and needs an operator (escalation level 1 of 3)',
        escalation: { level: 1, levels: 3, trigger: 'interrupted', since: '2026-01-01T12:00:02.000Z' },
      },
    });
    expect(result.nextAtMs).toBe(sinceMs + 15 * MIN);
  });

  it('counts each level from the status change in the journal, not from when an engine looked', () => {
    const afterFirst = [...stuck, sent('oncall', 'escalation:2:1', 1)];
    expect(dueOf(afterFirst, sinceMs + 14 * MIN)).toEqual([]);
    expect(dueOf(afterFirst, sinceMs + 15 * MIN)).toEqual([['escalation:2:2', ['team-lead']]]);
    expect(schedule(afterFirst, sinceMs + 16 * MIN).nextAtMs).toBe(sinceMs + 30 * MIN);
  });

  it('sends every level that fell due while no engine ran, in order, and none already journaled', () => {
    const afterFirst = [...stuck, sent('oncall', 'escalation:2:1', 1)];
    expect(dueOf(afterFirst, sinceMs + 45 * MIN)).toEqual([
      ['escalation:2:2', ['team-lead']],
      ['escalation:2:3', ['vp-eng', 'oncall']],
    ]);
    const partly = [
      ...afterFirst,
      sent('team-lead', 'escalation:2:2', 2),
      sent('vp-eng', 'escalation:2:3', 3),
    ];
    expect(dueOf(partly, sinceMs + 45 * MIN)).toEqual([['escalation:2:3', ['oncall']]]);
    const all = [...partly, sent('oncall', 'escalation:2:3', 3)];
    expect(schedule(all, sinceMs + 45 * MIN)).toEqual({ due: [] });
  });

  it('stops at an acknowledgement and tells the channels already paged who took it, once', () => {
    const acked = [
      ...stuck,
      sent('oncall', 'escalation:2:1', 1),
      {
        type: EVENT.escalationAcknowledged,
        data: { forEvent: 2, levelsSent: 1, comment: 'on it' },
        actor: 'bob',
      },
    ];
    const result = schedule(acked, sinceMs + 40 * MIN);
    expect(result.due.map((n) => [n.key, n.channels, n.message.event, n.message.title])).toEqual([
      [
        'escalation:2:acknowledged',
        ['oncall'],
        'acknowledged',
        'shop-api 2.0.0 → production: escalation acknowledged by bob',
      ],
    ]);
    expect(result.nextAtMs).toBeUndefined();
    expect(schedule([...acked, sent('oncall', 'escalation:2:acknowledged')], sinceMs + 40 * MIN)).toEqual({
      due: [],
    });
  });

  it('still tells the paged channels of an acknowledgement when an operator answers right after it', () => {
    const answered = [
      ...stuck,
      sent('oncall', 'escalation:2:1', 1),
      { type: EVENT.escalationAcknowledged, data: { forEvent: 2, levelsSent: 1 }, actor: 'bob' },
      { type: EVENT.operatorCommand, data: { command: 'retry' }, actor: 'bob' },
      status('interrupted', 'running', 'retrying'),
    ];
    const result = schedule(answered, sinceMs + 16 * MIN);
    expect(result.due.map((n) => [n.key, n.channels])).toEqual([['escalation:2:acknowledged', ['oncall']]]);
    expect(result.due[0]?.message.text).toBe(
      'shop-api 2.0.0 → production: escalation acknowledged by bob. The deployment is running: retrying',
    );
    expect(result.nextAtMs).toBeUndefined();
  });

  it('stops without a word when an operator acts on the deployment', () => {
    const retried = [...stuck, { type: EVENT.operatorCommand, data: { command: 'abort' }, actor: 'bob' }];
    expect(schedule(retried, sinceMs + 20 * MIN)).toEqual({ due: [] });
  });

  it('starts a new ladder when the deployment gets stuck again after being answered', () => {
    const again = [
      ...stuck,
      sent('oncall', 'escalation:2:1', 1),
      { type: EVENT.operatorCommand, data: { command: 'retry' }, actor: 'bob' },
      status('interrupted', 'running', 'retrying'),
      status('running', 'interrupted'),
    ];
    expect(dueOf(again, Date.parse('2026-01-01T12:00:06.000Z'))).toEqual([['escalation:6:1', ['oncall']]]);
  });

  it("escalates a rule's pause but not an operator's, and only the states the plan names", () => {
    const rulePause: Spec[] = [
      created,
      status('pending', 'running'),
      { type: EVENT.decision, data: { tier: 'pause', explanation: 'p95_latency was 900ms > 500ms for 1m' } },
      status('running', 'paused', 'p95_latency was 900ms > 500ms for 1m'),
    ];
    expect(dueOf(rulePause, Date.parse('2026-01-01T12:00:03.000Z'))).toEqual([
      ['escalation:3:1', ['oncall']],
    ]);
    const operatorPause: Spec[] = [
      created,
      status('pending', 'running'),
      { type: EVENT.operatorCommand, data: { command: 'pause' }, actor: 'bob' },
      status('running', 'paused', 'paused by an operator'),
    ];
    expect(dueOf(operatorPause, Date.parse('2026-01-01T12:00:03.000Z'))).toEqual([]);
    const failedOnly: EscalationLadder = { ...ladder, on: ['failed'] };
    expect(escalationSchedule(foldEvents(eventsFrom('d-1', stuck)), failedOnly, false, {}, sinceMs)).toEqual({
      due: [],
    });
  });

  it("pages with the plan's severity for the state", () => {
    const failed = [created, status('pending', 'running'), status('running', 'failed', 'preflight failed')];
    const result = escalationSchedule(
      foldEvents(eventsFrom('d-1', failed)),
      ladder,
      false,
      { failed: 'error' },
      sinceMs,
    );
    expect(result.due[0]?.message.severity).toBe('error');
  });
});
