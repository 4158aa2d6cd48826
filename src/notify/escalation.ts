// The escalation ladder, decided from the folded journal alone (pure): while a deployment is stuck in a
// state the plan names and nobody has answered, each level is due `after` its time past the status change
// (a journal time, so a restarted engine keeps the ladder's clock) and is sent once per channel. An
// acknowledgement stops it and tells the channels already paged; any other operator action just stops it.

import type { DeploymentState } from '../deployment/state.js';
import type { ExpandedPlan } from '../plan/planned-step.js';
import type {
  EscalationLadder,
  EscalationTrigger,
  NotificationEvent,
  Severity,
} from '../plan/schema/notify.js';
import { formatDuration } from '../units/duration.js';
import { severityOf } from './severity.js';
import { type NoticeSchedule, stillToTell, type TimedNotice } from './timed-notice.js';

export interface Episode {
  trigger: EscalationTrigger;
  /** The status change that started it: the ladder's key and its clock. */
  sinceEvent: number;
  sinceAt: string;
  acknowledged?: { by: string; at: string; comment?: string };
  /** A person acted on the deployment since (a command, an approval, a check). */
  answered: boolean;
}

const WORDS: Record<EscalationTrigger, string> = {
  interrupted: 'was interrupted and needs an operator',
  paused: 'is paused by a rule',
  failed: 'failed',
  waiting: 'is waiting for a person',
};

/** What the deployment is stuck in, if it is one of the states a ladder can run for. */
export function triggerOf(state: DeploymentState, waitsForPerson: boolean): EscalationTrigger | undefined {
  if (state.status === 'interrupted' || state.status === 'failed') return state.status;
  // An operator's own pause has a person at the controls already; only a rule's pause escalates.
  if (state.status === 'paused' && pausedByRule(state)) return 'paused';
  if (state.status === 'waiting' && waitsForPerson) return 'waiting';
  return undefined;
}

/** Whether the step the deployment waits on needs a person: an approval, a checklist, a pause until promoted. */
export function waitsForPerson(state: DeploymentState, plan: ExpandedPlan): boolean {
  const current = state.current;
  if (!current) return false;
  const step = (current.track === 'main' ? plan.main : plan.rollback)[current.index];
  if (step?.kind === 'approval' || step?.kind === 'checklist') return true;
  return (
    step?.kind === 'pause' && (step.spec as { pause: { duration?: number } }).pause.duration === undefined
  );
}

function pausedByRule(state: DeploymentState): boolean {
  const request = state.pauseRequest;
  return (
    request !== undefined &&
    !state.commands.some(
      (c) => (c.command === 'resume' || c.command === 'promote') && c.eventIndex > request.eventIndex,
    )
  );
}

export function escalationEpisode(
  state: DeploymentState,
  ladder: EscalationLadder,
  waitsForPerson: boolean,
): Episode | undefined {
  const trigger = triggerOf(state, waitsForPerson);
  if (!trigger || !ladder.on.includes(trigger)) return undefined;
  const sinceEvent = state.statusSinceEvent;
  const sinceAt = state.statusSinceAt;
  const ack = state.acknowledgements.find((a) => a.eventIndex > sinceEvent);
  const answered =
    state.commands.some((c) => c.eventIndex > sinceEvent) ||
    state.approvals.some((a) => a.at >= sinceAt) ||
    state.checks.some((c) => c.at >= sinceAt);
  return {
    trigger,
    sinceEvent,
    sinceAt,
    answered,
    ...(ack ? { acknowledged: { by: ack.by, at: ack.at, comment: ack.comment } } : {}),
  };
}

export function levelKey(episode: Pick<Episode, 'sinceEvent'>, level: number): string {
  return `escalation:${episode.sinceEvent}:${level}`;
}

/** How many levels have been sent (or tried) for this episode. */
export function levelsSent(state: DeploymentState, ladder: EscalationLadder, episode: Episode): number {
  return ladder.levels.filter((_, i) => (state.notified[levelKey(episode, i + 1)] ?? []).length > 0).length;
}

export function escalationSchedule(
  state: DeploymentState,
  ladder: EscalationLadder,
  waitsForPerson: boolean,
  severities: Partial<Record<NotificationEvent, Severity>>,
  nowMs: number,
): NoticeSchedule {
  const due = acknowledgementNotices(state, ladder, severities);
  const episode = escalationEpisode(state, ladder, waitsForPerson);
  if (!episode || episode.acknowledged || episode.answered) return { due };
  const sinceMs = Date.parse(episode.sinceAt);
  let nextAtMs: number | undefined;
  ladder.levels.forEach((level, index) => {
    const key = levelKey(episode, index + 1);
    const channels = stillToTell(state.notified, key, level.channels);
    if (channels.length === 0) return;
    const atMs = sinceMs + level.after;
    if (atMs > nowMs) nextAtMs = Math.min(nextAtMs ?? atMs, atMs);
    else due.push(page(state, ladder, episode, index + 1, channels, severities, nowMs - sinceMs));
  });
  return { due, ...(nextAtMs !== undefined ? { nextAtMs } : {}) };
}

function page(
  state: DeploymentState,
  ladder: EscalationLadder,
  episode: Episode,
  level: number,
  channels: string[],
  severities: Partial<Record<NotificationEvent, Severity>>,
  stuckMs: number,
): TimedNotice {
  const severity = severityOf(episode.trigger, severities);
  const title = `${subject(state)} ${WORDS[episode.trigger]} (escalation level ${level} of ${ladder.levels.length})`;
  const text = `${title}: ${state.statusReason}. Nobody has answered for ${formatDuration(Math.max(0, stuckMs))}; acknowledge with \`gantry ack ${state.id}\`.`;
  return {
    key: levelKey(episode, level),
    channels,
    message: {
      event: episode.trigger,
      severity,
      title,
      text,
      escalation: { level, levels: ladder.levels.length, trigger: episode.trigger, since: episode.sinceAt },
    },
    record: { event: 'escalation', level, severity },
  };
}

/**
 * After `gantry ack`: the channels the acknowledged ladder paged hear who took it (PagerDuty acknowledges
 * its incident), whatever the deployment does meanwhile (an operator may retry at once).
 */
function acknowledgementNotices(
  state: DeploymentState,
  ladder: EscalationLadder,
  severities: Partial<Record<NotificationEvent, Severity>>,
): TimedNotice[] {
  const severity = severityOf('acknowledged', severities);
  return state.acknowledgements.flatMap((ack) => {
    const episode = { sinceEvent: ack.forEvent };
    const paged = ladder.levels.flatMap((_, i) => state.notified[levelKey(episode, i + 1)] ?? []);
    const key = `escalation:${ack.forEvent}:acknowledged`;
    const channels = stillToTell(state.notified, key, paged);
    if (channels.length === 0) return [];
    const title = `${subject(state)}: escalation acknowledged by ${ack.by}`;
    const text = `${title}${ack.comment ? `: "${ack.comment}"` : ''}. The deployment is ${state.status}: ${state.statusReason}`;
    return [
      {
        key,
        channels,
        message: { event: 'acknowledged', severity, title, text },
        record: { event: 'acknowledged', severity },
      },
    ];
  });
}

function subject(state: DeploymentState): string {
  return `${state.service} ${state.version} → ${state.environment}`;
}
