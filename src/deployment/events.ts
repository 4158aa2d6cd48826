// The closed set of journal event types and the shape of each one's data.
// State is a fold over these (state.ts); explanations are written from them (describe.ts).

import type { Status } from './status.js';

export const EVENT = {
  created: 'deployment.created',
  driverAttached: 'driver.attached',
  statusChanged: 'status.changed',
  planReplaced: 'plan.replaced',
  windowOverridden: 'window.overridden',
  stepStarted: 'step.started',
  stepSucceeded: 'step.succeeded',
  stepFailed: 'step.failed',
  stepSkipped: 'step.skipped',
  stepWaiting: 'step.waiting',
  stepInterrupted: 'step.interrupted',
  approvalGranted: 'approval.granted',
  approvalRefused: 'approval.refused',
  checklistChecked: 'checklist.checked',
  operatorCommand: 'operator.command',
  rollbackStarted: 'rollback.started',
  notificationSent: 'notification.sent',
  notificationFailed: 'notification.failed',
  escalationAcknowledged: 'escalation.acknowledged',
  weightSet: 'weight.set',
  targetChanging: 'target.changing',
  versionStarted: 'version.started',
  versionScaled: 'version.scaled',
  versionStopped: 'version.stopped',
  headerRouteSet: 'header-route.set',
  maintenanceSet: 'maintenance.set',
  backupTaken: 'backup.taken',
  backupDeleted: 'backup.deleted',
  backupRestored: 'backup.restored',
  migrationApplied: 'migration.applied',
  migrationReverted: 'migration.reverted',
  trafficStopped: 'traffic.stopped',
  measurement: 'analysis.measurement',
  decision: 'analysis.decision',
} as const;
export type EventType = (typeof EVENT)[keyof typeof EVENT];

export type Track = 'main' | 'rollback';

export interface StepRef {
  stepId: string;
  track: Track;
  index: number;
}

export interface CreatedData {
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  planHash: string;
  planPath: string;
  stepCount: number;
  overrideWindow?: { reason: string };
}

export interface StatusChangedData {
  from: Status;
  to: Status;
  reason: string;
}

export interface StepStartedData extends StepRef {
  kind: string;
  name: string;
  attempt: number;
}

export interface StepSucceededData extends StepRef {
  durationMs: number;
  result?: Record<string, unknown>;
}

export interface StepFailedData extends StepRef {
  durationMs: number;
  error: { code: string; message: string };
  /** When set, the step is tried again at this time. */
  retryAt?: string;
  result?: Record<string, unknown>;
}

export interface StepWaitingData extends StepRef {
  waitingFor: string;
  until?: string;
}

export const OPERATOR_COMMANDS = ['pause', 'resume', 'promote', 'abort', 'retry', 'skip'] as const;
export type OperatorCommand = (typeof OPERATOR_COMMANDS)[number];

export interface OperatorCommandData {
  command: OperatorCommand;
  reason?: string;
  /** `promote --full`: skip the remaining steps of the strategy. */
  full?: boolean;
}

export interface ApprovalGrantedData {
  stepId: string;
  role: string;
  comment?: string;
  /** What the approver saw of the analysis when approving (recorded by the server and the CLI). */
  analysis?: AnalysisSeen;
}

/** The analysis as a person saw it: the latest decision and each metric's latest value up to an event. */
export interface AnalysisSeen {
  /** The last event index the approver had seen. */
  atEventIndex: number;
  decision?: { tier: string; explanation: string; at: string };
  measurements: Array<{ metric: string; value: number; at: string }>;
}

export interface ChecklistCheckedData {
  stepId: string;
  item: string;
  itemIndex: number;
}

export interface RollbackStartedData {
  reason: string;
  trigger: 'step_failed' | 'abort' | 'rule' | 'operator';
  /** The status the deployment ends in when the rollback steps succeed. */
  endStatus: 'rolled_back' | 'aborted';
}

/** `target.changing`: a traffic step is about to change the data plane; its result event follows. */
export interface TargetChangingData extends StepRef {
  /** The change in words: "send 25% of traffic to 2.0.0, 75% to 1.9.0". */
  change: string;
}

/** `weight.set`: the traffic split a step left in place. */
export interface WeightSetData extends StepRef {
  /** Percent of traffic on the deployment's version. */
  weightPct: number;
  /** Each version's share, in percent. */
  sharesPct: Record<string, number>;
}

/** `backup.taken`: a backup written, checked and stored; the record `gantry backups` lists. */
export interface BackupTakenData extends StepRef {
  /** `<deployment id>.<name>`: how operators name it (`gantry restore ID`). */
  backupId: string;
  name: string;
  kind: 'postgres' | 'files';
  /** What was backed up, safe to print: host:port/database, or the paths. */
  source: string;
  /** The file, on `host`. */
  location: string;
  host: string;
  sizeBytes: number;
  sha256: string;
  durationMs: number;
  /** How it was checked: not at all, read back (pg_restore --list, tar --list), or restored and compared. */
  verified: false | 'list' | 'restore';
  /** What the check found: archive entries, tables and their row counts. */
  verification?: Record<string, unknown>;
}

/** `backup.deleted`: a backup's file removed by retention (recorded on the deployment that took it). */
export interface BackupDeletedData {
  backupId: string;
  name: string;
  reason: string;
}

/** `backup.restored`: a backup put back, by a restore step or by an operator with `gantry restore`. */
export interface BackupRestoredData {
  backupId: string;
  name: string;
  /** Where it went, safe to print: host:port/database, or a folder. */
  into: string;
  durationMs: number;
  /** Tables in the database that the backup does not hold (created after it); a restore leaves them. */
  leftovers?: string[];
  stepId?: string;
}

/** `traffic.stopped`: a restore step put the service in maintenance mode; `wasOn`: it already was. */
export interface TrafficStoppedData extends StepRef {
  wasOn: boolean;
}

/** `notification.sent` / `notification.failed`: one delivery to one channel. */
export interface NotificationData {
  channel: string;
  /** The lifecycle event, `step`, or for timed notifications `escalation`, `reminder`, `acknowledged`. */
  event: string;
  attempts: number;
  error?: string;
  /** Timed notifications (escalation levels, reminders): what was sent, so it is sent once per channel. */
  key?: string;
  /** Escalation pages: the level, 1 for the first. */
  level?: number;
  severity?: string;
}

/** `escalation.acknowledged`: a person took the page (`gantry ack`); the ladder stops. */
export interface EscalationAcknowledgedData {
  comment?: string;
  /** The status change that started the escalation acknowledged. */
  forEvent: number;
  /** Levels already sent when it was acknowledged. */
  levelsSent: number;
}
