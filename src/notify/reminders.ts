// Reminders before a deployment window opens (the runbooks' "T-24h: tell the team, T-1h: remind
// #deployments"), decided from the folded journal alone (pure). Each is due `before` the opening and sent
// once per channel, keyed by the opening, so a restart does not repeat it. A deployment that starts
// waiting late sends the reminders already due at once, saying how long is really left.

import type { DeploymentState } from '../deployment/state.js';
import type { NotificationEvent, Reminder, Severity } from '../plan/schema/notify.js';
import { formatDuration } from '../units/duration.js';
import { severityOf } from './severity.js';
import { NOTHING_DUE, type NoticeSchedule, stillToTell, type TimedNotice } from './timed-notice.js';

export function reminderSchedule(
  state: DeploymentState,
  reminders: readonly Reminder[],
  /** When the window the deployment waits for opens; undefined when it waits for no window. */
  opensAt: Date | undefined,
  severities: Partial<Record<NotificationEvent, Severity>>,
  nowMs: number,
): NoticeSchedule {
  if (!opensAt || opensAt.getTime() <= nowMs) return NOTHING_DUE;
  const opensAtMs = opensAt.getTime();
  const due: TimedNotice[] = [];
  let nextAtMs: number | undefined;
  reminders.forEach((reminder, index) => {
    const key = `reminder:${opensAt.toISOString()}:${index}`;
    const channels = stillToTell(state.notified, key, reminder.channels);
    if (channels.length === 0) return;
    const atMs = opensAtMs - reminder.before;
    if (atMs > nowMs) nextAtMs = Math.min(nextAtMs ?? atMs, atMs);
    else due.push(notice(state, reminder, key, channels, opensAt, severityOf('reminder', severities), nowMs));
  });
  return { due, ...(nextAtMs !== undefined ? { nextAtMs } : {}) };
}

function notice(
  state: DeploymentState,
  reminder: Reminder,
  key: string,
  channels: string[],
  opensAt: Date,
  severity: Severity,
  nowMs: number,
): TimedNotice {
  const left = formatDuration(Math.round((opensAt.getTime() - nowMs) / 1_000) * 1_000);
  const title = `${state.service} ${state.version} → ${state.environment}: the deployment window opens in ${left}`;
  const opening = `opens at ${opensAt.toISOString()}`;
  const text = reminder.message ? `${reminder.message} (the window ${opening})` : `${title} (${opening}).`;
  return {
    key,
    channels,
    message: { event: 'reminder', severity, title, text, window: { opensAt: opensAt.toISOString() } },
    record: { event: 'reminder', severity },
  };
}
