// A deployment's state is a fold over its journal events. Nothing here reads a clock or the world.

import type { JournalEvent } from '../journal/journal.js';
import {
  type ApprovalGrantedData,
  type BackupDeletedData,
  type BackupRestoredData,
  type BackupTakenData,
  type ChecklistCheckedData,
  type CreatedData,
  type EscalationAcknowledgedData,
  EVENT,
  type NotificationData,
  type OperatorCommandData,
  type RollbackStartedData,
  type StatusChangedData,
  type StepFailedData,
  type StepRef,
  type StepStartedData,
  type Track,
  type TrafficStoppedData,
} from './events.js';
import type { Status } from './status.js';

export interface StepProgress extends StepRef {
  attempts: number;
  /** Index of the event that last started it; commands after it apply to this attempt. */
  startedAtEvent: number;
  /** Index of the event that first started it, across restarts and retries. */
  firstStartedAtEvent: number;
  firstStartedAt: string;
  lastStartedAt: string;
  outcome?: 'succeeded' | 'failed' | 'skipped' | 'interrupted';
  retryAt?: string;
  error?: { code: string; message: string };
}

export interface Approval extends ApprovalGrantedData {
  by: string;
  at: string;
}

export interface Check extends ChecklistCheckedData {
  by: string;
  at: string;
}

export interface Command extends OperatorCommandData {
  by: string;
  at: string;
  eventIndex: number;
}

export interface DeploymentState {
  id: string;
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  requestedBy: string;
  planHash: string;
  status: Status;
  statusReason: string;
  track: Track;
  /** The next step index to run on each track. */
  next: Record<Track, number>;
  /** The step started and not yet finished, if any. */
  current?: StepProgress;
  steps: Record<string, StepProgress>;
  approvals: Approval[];
  checks: Check[];
  commands: Command[];
  rollback?: RollbackStartedData & { at: string };
  /** A rule (or an operator) asked for a rollback that has not started yet. */
  rollbackRequest?: { reason: string; trigger: RollbackStartedData['trigger']; at: string };
  /** A rule with the `pause` tier fired: wait for a human, as an operator pause does. */
  pauseRequest?: { reason: string; eventIndex: number };
  /** A `reduce` rule lowered the new version's traffic during an analysis step, which waits for a person. */
  reduction?: { stepId: string; fromPct: number; toPct: number; eventIndex: number };
  rollbackFailures: number;
  /** Index of the last status change; operator commands after it answer it. */
  statusSinceEvent: number;
  /** When the last status change happened: escalation timers count from here, across restarts. */
  statusSinceAt: string;
  /** Timed notifications sent (or tried), by key: the channels done, so none is sent twice. */
  notified: Record<string, string[]>;
  /** `gantry ack`: who took an escalation, oldest first. */
  acknowledgements: Array<EscalationAcknowledgedData & { by: string; at: string; eventIndex: number }>;
  windowOverride?: { by: string; reason: string };
  /** Traffic percent on the new version, when a target shifts traffic. */
  weightPct?: number;
  /** Since when the new version has taken traffic (weight above 0): analysis windows start here. */
  trafficSince?: string;
  /** The latest analysis decision (pass, warn, pause, rollback, inconclusive), for `status`. */
  lastDecision?: { tier: string; explanation: string; at: string };
  /** When the new version last came to take all traffic (keep-warm periods count from here). */
  fullTrafficAt?: string;
  /** Backups this deployment took, by name (the latest of each), with the index of their event. */
  backups: Record<string, BackupTakenData & { eventIndex: number; deleted?: boolean }>;
  /** Restores recorded on this deployment (restore steps, `gantry restore`), oldest first. */
  restores: Array<{ backupId: string; name: string; eventIndex: number; by: string }>;
  /** Restore steps that stopped traffic, by step id: whether maintenance mode was already on before. */
  trafficStops: Record<string, { wasOn: boolean }>;
  /** Index the next event will get. */
  eventCount: number;
  updatedAt: string;
}

export function initialState(id: string): DeploymentState {
  return {
    id,
    service: '',
    environment: '',
    version: '',
    previousVersion: null,
    requestedBy: '',
    planHash: '',
    status: 'pending',
    statusReason: '',
    track: 'main',
    next: { main: 0, rollback: 0 },
    steps: {},
    approvals: [],
    checks: [],
    commands: [],
    rollbackFailures: 0,
    backups: {},
    restores: [],
    trafficStops: {},
    statusSinceEvent: 0,
    statusSinceAt: '',
    notified: {},
    acknowledgements: [],
    eventCount: 0,
    updatedAt: '',
  };
}

export function foldEvents(events: readonly JournalEvent[], from?: DeploymentState): DeploymentState {
  let state = from ?? initialState(events[0]?.deploymentId ?? '');
  for (const event of events) state = applyEvent(state, event);
  return state;
}

/** Applies one event; events already folded (index below eventCount) are ignored. */
export function applyEvent(state: DeploymentState, event: JournalEvent): DeploymentState {
  if (event.index < state.eventCount) return state;
  const next: DeploymentState = { ...state, eventCount: event.index + 1, updatedAt: event.at };
  const apply = APPLY[event.type];
  if (apply) apply(next, event);
  return next;
}

type Apply = (state: DeploymentState, event: JournalEvent) => void;

const APPLY: Record<string, Apply> = {
  [EVENT.created]: (state, event) => {
    const data = event.data as unknown as CreatedData;
    Object.assign(state, {
      service: data.service,
      environment: data.environment,
      version: data.version,
      previousVersion: data.previousVersion,
      planHash: data.planHash,
      requestedBy: event.actor ?? '',
    });
  },
  [EVENT.statusChanged]: (state, event) => {
    const data = event.data as unknown as StatusChangedData;
    state.status = data.to;
    state.statusReason = data.reason;
    state.statusSinceEvent = event.index;
    state.statusSinceAt = event.at;
  },
  [EVENT.planReplaced]: (state, event) => {
    state.planHash = String(event.data.planHash);
  },
  [EVENT.windowOverridden]: (state, event) => {
    state.windowOverride = { by: event.actor ?? '', reason: String(event.data.reason ?? '') };
  },
  [EVENT.stepStarted]: (state, event) => {
    const data = event.data as unknown as StepStartedData;
    const previous = state.steps[data.stepId];
    const progress: StepProgress = {
      stepId: data.stepId,
      track: data.track,
      index: data.index,
      attempts: (previous?.attempts ?? 0) + 1,
      startedAtEvent: event.index,
      firstStartedAtEvent: previous?.firstStartedAtEvent ?? event.index,
      firstStartedAt: previous?.firstStartedAt ?? event.at,
      lastStartedAt: event.at,
    };
    state.steps = { ...state.steps, [data.stepId]: progress };
    state.current = progress;
  },
  [EVENT.stepSucceeded]: (state, event) => finishStep(state, event.data as unknown as StepRef, 'succeeded'),
  [EVENT.stepSkipped]: (state, event) => finishStep(state, event.data as unknown as StepRef, 'skipped'),
  [EVENT.stepFailed]: (state, event) => {
    const data = event.data as unknown as StepFailedData;
    const progress = state.steps[data.stepId];
    if (data.retryAt && progress) {
      state.steps = {
        ...state.steps,
        [data.stepId]: { ...progress, retryAt: data.retryAt, error: data.error },
      };
      state.current = undefined;
      return;
    }
    finishStep(state, data, 'failed', data.error);
    if (data.track === 'rollback') state.rollbackFailures += 1;
  },
  [EVENT.stepInterrupted]: (state, event) => {
    const data = event.data as unknown as StepRef;
    const progress = state.steps[data.stepId];
    if (!progress) return;
    const interrupted: StepProgress = { ...progress, outcome: 'interrupted' };
    state.steps = { ...state.steps, [data.stepId]: interrupted };
    state.current = interrupted;
  },
  [EVENT.approvalGranted]: (state, event) => {
    const data = event.data as unknown as ApprovalGrantedData;
    state.approvals = [...state.approvals, { ...data, by: event.actor ?? '', at: event.at }];
  },
  [EVENT.checklistChecked]: (state, event) => {
    const data = event.data as unknown as ChecklistCheckedData;
    state.checks = [...state.checks, { ...data, by: event.actor ?? '', at: event.at }];
  },
  [EVENT.operatorCommand]: (state, event) => {
    const data = event.data as unknown as OperatorCommandData;
    state.commands = [
      ...state.commands,
      { ...data, by: event.actor ?? '', at: event.at, eventIndex: event.index },
    ];
  },
  [EVENT.rollbackStarted]: (state, event) => {
    state.rollback = { ...(event.data as unknown as RollbackStartedData), at: event.at };
    state.track = 'rollback';
    state.current = undefined;
  },
  [EVENT.decision]: (state, event) => {
    const reason = String(event.data.explanation ?? event.data.reason ?? 'an analysis rule fired');
    state.lastDecision = { tier: String(event.data.tier ?? ''), explanation: reason, at: event.at };
    if (event.data.tier === 'rollback' && !state.rollback) {
      state.rollbackRequest = { reason, trigger: 'rule', at: event.at };
    } else if (event.data.tier === 'pause' || event.data.tier === 'inconclusive') {
      state.pauseRequest = { reason, eventIndex: event.index };
    } else if (event.data.tier === 'reduce') {
      state.pauseRequest = { reason, eventIndex: event.index };
      const { stepId, fromPct, toPct } = event.data as { stepId: string; fromPct: number; toPct: number };
      state.reduction = { stepId, fromPct, toPct, eventIndex: event.index };
    }
  },
  [EVENT.notificationSent]: (state, event) => noteNotified(state, event.data as unknown as NotificationData),
  [EVENT.notificationFailed]: (state, event) =>
    noteNotified(state, event.data as unknown as NotificationData),
  [EVENT.escalationAcknowledged]: (state, event) => {
    const data = event.data as unknown as EscalationAcknowledgedData;
    state.acknowledgements = [
      ...state.acknowledgements,
      { ...data, by: event.actor ?? '', at: event.at, eventIndex: event.index },
    ];
  },
  [EVENT.weightSet]: (state, event) => {
    const weightPct = Number(event.data.weightPct);
    if (weightPct === 100 && state.weightPct !== 100) state.fullTrafficAt = event.at;
    if (weightPct > 0 && !((state.weightPct ?? 0) > 0)) state.trafficSince = event.at;
    if (weightPct === 0) state.trafficSince = undefined;
    state.weightPct = weightPct;
  },
  [EVENT.backupTaken]: (state, event) => {
    const data = event.data as unknown as BackupTakenData;
    state.backups = { ...state.backups, [data.name]: { ...data, eventIndex: event.index } };
  },
  [EVENT.backupDeleted]: (state, event) => {
    const data = event.data as unknown as BackupDeletedData;
    const taken = state.backups[data.name];
    if (taken?.backupId === data.backupId)
      state.backups = { ...state.backups, [data.name]: { ...taken, deleted: true } };
  },
  [EVENT.trafficStopped]: (state, event) => {
    const data = event.data as unknown as TrafficStoppedData;
    state.trafficStops = { ...state.trafficStops, [data.stepId]: { wasOn: data.wasOn } };
  },
  [EVENT.backupRestored]: (state, event) => {
    const data = event.data as unknown as BackupRestoredData;
    state.restores = [
      ...state.restores,
      { backupId: data.backupId, name: data.name, eventIndex: event.index, by: event.actor ?? '' },
    ];
  },
};

/** A failed delivery counts as done too: `deliver` already retried, and a page is never repeated forever. */
function noteNotified(state: DeploymentState, data: NotificationData): void {
  if (!data.key) return;
  const done = state.notified[data.key] ?? [];
  if (!done.includes(data.channel))
    state.notified = { ...state.notified, [data.key]: [...done, data.channel] };
}

function finishStep(
  state: DeploymentState,
  ref: StepRef,
  outcome: 'succeeded' | 'failed' | 'skipped',
  error?: { code: string; message: string },
): void {
  const progress = state.steps[ref.stepId];
  const base: StepProgress = progress ?? {
    ...ref,
    attempts: 0,
    startedAtEvent: -1,
    firstStartedAtEvent: -1,
    firstStartedAt: state.updatedAt,
    lastStartedAt: state.updatedAt,
  };
  state.steps = { ...state.steps, [ref.stepId]: { ...base, outcome, error, retryAt: undefined } };
  if (state.current?.stepId === ref.stepId) state.current = undefined;
  // A failed main step holds the cursor: the run loop sees the failure there and starts the rollback.
  // Rollback steps are best effort: a failed one is counted and the next one still runs.
  if (outcome !== 'failed' || ref.track === 'rollback') {
    state.next = { ...state.next, [ref.track]: Math.max(state.next[ref.track], ref.index + 1) };
  }
}

/** Commands given after a given event index, oldest first. */
export function commandsSince(state: DeploymentState, eventIndex: number): Command[] {
  return state.commands.filter((command) => command.eventIndex > eventIndex);
}

/** True when the last pause (by an operator or a `pause` rule) has not been answered by resume or promote. */
export function isPaused(state: DeploymentState): boolean {
  const last = [...state.commands]
    .reverse()
    .find((c) => c.command === 'pause' || c.command === 'resume' || c.command === 'promote');
  const operatorPaused = last?.command === 'pause';
  const rulePaused =
    state.pauseRequest !== undefined &&
    !state.commands.some(
      (c) =>
        (c.command === 'resume' || c.command === 'promote') &&
        c.eventIndex > (state.pauseRequest?.eventIndex ?? 0),
    );
  return operatorPaused || rulePaused;
}

export function abortCommand(state: DeploymentState): Command | undefined {
  return state.commands.find((command) => command.command === 'abort');
}
