// Text views of deployments for people: the step list with marks, the current wait, the engine.

import { logLine } from '../deployment/describe.js';
import type { DeploymentState } from '../deployment/state.js';
import type { DeploymentView } from '../engine/inspect.js';
import type { JournalEvent, Lease } from '../journal/journal.js';
import type { ExpandedPlan, PlannedStep } from '../plan/planned-step.js';
import { formatDuration } from '../units/duration.js';

export interface StepView {
  id: string;
  track: string;
  name: string;
  kind: string;
  status: 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'interrupted' | 'retrying';
  attempts: number;
  error?: string;
}

export function stepViews(state: DeploymentState, plan: ExpandedPlan): StepView[] {
  const tracks =
    state.track === 'rollback' || plan.rollback.some((s) => state.steps[s.id])
      ? [...plan.main, ...plan.rollback]
      : plan.main;
  return tracks.map((step) => stepView(state, step));
}

function stepView(state: DeploymentState, step: PlannedStep): StepView {
  const progress = state.steps[step.id];
  let status: StepView['status'] = 'pending';
  if (progress?.outcome) status = progress.outcome;
  else if (progress?.retryAt) status = 'retrying';
  else if (state.current?.stepId === step.id) status = state.status === 'waiting' ? 'waiting' : 'running';
  return {
    id: step.id,
    track: step.track,
    name: step.name,
    kind: step.kind,
    status,
    attempts: progress?.attempts ?? 0,
    error: progress?.error?.message,
  };
}

const MARK: Record<StepView['status'], string> = {
  pending: '·',
  running: '▶',
  waiting: '…',
  succeeded: '✓',
  failed: '✗',
  skipped: '↷',
  interrupted: '!',
  retrying: '↻',
};

export function renderStatus(
  view: DeploymentView,
  plan: ExpandedPlan,
  lease: Lease | undefined,
  leaseAlive: boolean,
): string {
  const { record, state } = view;
  const lines = [
    `${record.id}  ${record.service} ${record.version} → ${record.environment}  ${state.status.toUpperCase()}`,
    `  requested by ${record.requestedBy} at ${record.createdAt}${record.previousVersion ? `, replacing ${record.previousVersion}` : ''}`,
    `  ${state.statusReason}`,
  ];
  if (state.weightPct !== undefined) lines.push(`  traffic on ${record.version}: ${state.weightPct}%`);
  if (state.lastDecision)
    lines.push(
      `  analysis: ${state.lastDecision.tier} at ${state.lastDecision.at.slice(11, 19)}: ${state.lastDecision.explanation}`,
    );
  lines.push('');
  for (const step of stepViews(state, plan)) {
    const attempts = step.attempts > 1 ? ` (attempt ${step.attempts})` : '';
    lines.push(
      `  ${MARK[step.status]} ${step.id.padEnd(14)} ${step.name}${attempts}${step.error ? `\n      ${step.error}` : ''}`,
    );
  }
  lines.push('', `  engine: ${engineLine(record.id, state, lease, leaseAlive)}`);
  return lines.join('\n');
}

function engineLine(id: string, state: DeploymentState, lease: Lease | undefined, alive: boolean): string {
  if (['succeeded', 'rolled_back', 'failed', 'aborted'].includes(state.status)) return 'finished';
  if (lease && alive) return `pid ${lease.pid} on ${lease.host}`;
  return `not running — continue it with \`gantry resume ${id}\``;
}

export function renderEvents(events: readonly JournalEvent[], withOutput = false): string {
  return events.map((event) => eventText(event, withOutput)).join('\n');
}

function eventText(event: JournalEvent, withOutput: boolean): string {
  const line = logLine(event);
  const output = (event.data.result as { output?: string } | undefined)?.output;
  const show = output && (withOutput || event.type === 'step.failed');
  return show ? `${line}\n${indent(output.trimEnd())}` : line;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    │ ${line}`)
    .join('\n');
}

export function ago(iso: string, now = Date.now()): string {
  return `${formatDuration(Math.max(0, now - Date.parse(iso)))} ago`;
}
