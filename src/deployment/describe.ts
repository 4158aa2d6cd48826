// Every journal event in plain words, for `gantry logs`, `status`, the log files and notifications.

import type { JournalEvent } from '../journal/journal.js';
import { formatBytes } from '../units/bytes.js';
import { formatDuration } from '../units/duration.js';
import { EVENT } from './events.js';

type Describe = (data: Record<string, any>, actor: string | null) => string;

const DESCRIBE: Record<string, Describe> = {
  [EVENT.created]: (d, actor) =>
    `deployment of ${d.service} ${d.version} to ${d.environment} requested by ${actor}` +
    `${d.previousVersion ? ` (replacing ${d.previousVersion})` : ''}${d.overrideWindow ? `; window overridden: ${d.overrideWindow.reason}` : ''}`,
  [EVENT.driverAttached]: (d) =>
    d.takeover
      ? `engine ${d.holderId} took over from ${d.replacing ?? 'a stopped engine'}`
      : `engine ${d.holderId} started driving`,
  [EVENT.statusChanged]: (d) => `${d.from} → ${d.to}: ${d.reason}`,
  [EVENT.planReplaced]: (_d, actor) => `plan replaced by ${actor}; continuing with the new expansion`,
  [EVENT.windowOverridden]: (d, actor) => `deployment window overridden by ${actor}: ${d.reason}`,
  [EVENT.stepStarted]: (d) =>
    `${d.stepId} started: ${d.name}${d.attempt > 1 ? ` (attempt ${d.attempt})` : ''}`,
  [EVENT.stepSucceeded]: (d) => `${d.stepId} succeeded in ${formatDuration(d.durationMs)}`,
  [EVENT.stepFailed]: (d) =>
    `${d.stepId} failed after ${formatDuration(d.durationMs)}: ${d.error.message}${d.retryAt ? `; retrying at ${time(d.retryAt)}` : ''}`,
  [EVENT.stepSkipped]: (d, actor) => `${d.stepId} skipped by ${actor}`,
  [EVENT.stepWaiting]: (d) => `${d.stepId} waiting for ${d.waitingFor}`,
  [EVENT.stepInterrupted]: (d) =>
    d.needsOperator
      ? `${d.stepId} stopped for an operator: ${d.reason}`
      : `${d.stepId} was running when its engine stopped: ${d.reason}`,
  [EVENT.approvalGranted]: (d, actor) =>
    `approved by ${actor} as ${d.role}${d.comment ? `: "${d.comment}"` : ''}`,
  [EVENT.approvalRefused]: (d, actor) => `approval by ${actor} refused: ${d.reason}`,
  [EVENT.checklistChecked]: (d, actor) => `checklist item ${d.itemIndex + 1} "${d.item}" checked by ${actor}`,
  [EVENT.operatorCommand]: (d, actor) =>
    `${actor} ran ${d.command}${d.full ? ' --full' : ''}${d.reason ? `: ${d.reason}` : ''}`,
  [EVENT.rollbackStarted]: (d) => `rolling back: ${d.reason}`,
  [EVENT.notificationSent]: (d) => `notified ${d.channel} (${notice(d)})`,
  [EVENT.notificationFailed]: (d) => `notification to ${d.channel} (${notice(d)}) failed: ${d.error}`,
  [EVENT.escalationAcknowledged]: (d, actor) =>
    `escalation acknowledged by ${actor} after ${d.levelsSent} level${d.levelsSent === 1 ? '' : 's'}${d.comment ? `: "${d.comment}"` : ''}`,
  [EVENT.weightSet]: (d) => `traffic on the new version set to ${d.weightPct}%${shares(d.sharesPct)}`,
  [EVENT.targetChanging]: (d) => `changing the data plane: ${d.change}`,
  [EVENT.versionStarted]: (d) =>
    `${d.version} is running: ${d.instances} healthy instance${d.instances === 1 ? '' : 's'}`,
  [EVENT.versionScaled]: (d) => `${d.version} now has ${d.instances} instance${d.instances === 1 ? '' : 's'}`,
  [EVENT.versionStopped]: (d) =>
    d.wasRunning === false ? `${d.version} was not running` : `${d.version} drained and stopped`,
  [EVENT.headerRouteSet]: (d) =>
    d.version
      ? `requests with the header ${d.header}: 1 now go to ${d.version}`
      : 'requests with the canary header follow the weights again',
  [EVENT.maintenanceSet]: (d) =>
    d.enabled
      ? 'maintenance mode on: users get the maintenance page'
      : 'maintenance mode off: users reach the service again',
  [EVENT.backupTaken]: (d) =>
    `backup ${d.backupId} of ${d.source}: ${formatBytes(d.sizeBytes)} in ${formatDuration(d.durationMs)}, ${d.verified ? `verified (${d.verified === 'restore' ? 'restored and row counts compared' : 'read back'})` : 'not verified'}, at ${d.location} on ${d.host}`,
  [EVENT.backupDeleted]: (d) => `backup ${d.backupId} deleted: ${d.reason}`,
  [EVENT.backupRestored]: (d, actor) =>
    `backup ${d.backupId} restored into ${d.into} in ${formatDuration(d.durationMs)}${d.stepId ? '' : ` by ${actor}`}${d.leftovers?.length ? `; tables created after it remain: ${d.leftovers.join(', ')}` : ''}`,
  [EVENT.trafficStopped]: (d) =>
    d.wasOn
      ? 'maintenance mode was already on for the restore'
      : 'traffic stopped for the restore (maintenance mode)',
  [EVENT.migrationApplied]: (d) => `${d.stepId}: migration applied${d.irreversible ? ' (irreversible)' : ''}`,
  [EVENT.migrationReverted]: (d) => `${d.migration}: migration undone by its down command`,
  [EVENT.measurement]: (d) => d.summary ?? `measured ${d.metric}`,
  [EVENT.decision]: (d) =>
    `${DECISION_WORDS[d.tier] ?? d.tier}${d.source ? ` (${SOURCE_WORDS[d.source] ?? d.source})` : ''}: ${d.explanation ?? d.reason ?? ''}`,
};

/** Analysis decisions in words: what was decided, and by which part of analysis. */
const DECISION_WORDS: Record<string, string> = {
  pass: 'analysis passed',
  warn: 'warning',
  pause: 'pause',
  reduce: 'traffic reduced',
  rollback: 'rollback',
  inconclusive: 'inconclusive',
};
const SOURCE_WORDS: Record<string, string> = {
  analysis: 'analysis step',
  automatic: 'automatic rollback rule',
  monitor: 'monitor stage',
};

export function describeEvent(event: JournalEvent): string {
  const describe = DESCRIBE[event.type];
  return describe ? describe(event.data, event.actor) : `${event.type} ${JSON.stringify(event.data)}`;
}

/** What a notification was about: "failed", "escalation level 2", "reminder". */
function notice(d: Record<string, any>): string {
  return d.level === undefined ? d.event : `${d.event} level ${d.level}`;
}

/** " (1.9.0 75%, 2.0.0 25%)", or nothing when no split was recorded. */
function shares(sharesPct: Record<string, number> | undefined): string {
  const entries = Object.entries(sharesPct ?? {});
  return entries.length === 0 ? '' : ` (${entries.map(([version, pct]) => `${version} ${pct}%`).join(', ')})`;
}

/** "12:04:07" in UTC, the way log lines show time. */
export function time(iso: string): string {
  return iso.slice(11, 19);
}

export function logLine(event: JournalEvent): string {
  return `${time(event.at)} ${describeEvent(event)}`;
}
