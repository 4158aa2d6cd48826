// The demo's closing summary: each deployment's outcome and the decisions behind it, in plain words, read
// back from the journal, and what the users saw.

import { describeEvent } from '../deployment/describe.js';
import { EVENT } from '../deployment/events.js';
import { foldEvents } from '../deployment/state.js';
import type { Journal, JournalEvent } from '../journal/journal.js';
import { formatDuration } from '../units/duration.js';
import type { TrafficTotals } from './traffic.js';

export interface DeploymentOutcome {
  version: string;
  status: string;
  durationMs: number;
  /** Why it ended as it did, and the decisions on the way, one sentence each. */
  decisions: string[];
}

export async function outcomeOf(journal: Journal, id: string): Promise<DeploymentOutcome> {
  const events = await journal.readEvents(id);
  const state = foldEvents(events);
  const first = events[0]?.at ?? state.updatedAt;
  return {
    version: state.version,
    status: state.status,
    durationMs: Date.parse(state.updatedAt) - Date.parse(first),
    decisions: decisionsOf(events, state.statusReason),
  };
}

/** "at 10%: " — the traffic the new version had when a decision was taken. */
function atWeight(decision: JournalEvent, events: JournalEvent[]): string {
  const weight = events.filter((e) => e.type === EVENT.weightSet && e.index < decision.index).at(-1);
  return weight ? `at ${weight.data.weightPct}%, ` : '';
}

function decisionsOf(events: JournalEvent[], reason: string): string[] {
  const said: string[] = [];
  const promoted = events.find((e) => e.type === EVENT.operatorCommand && e.data.command === 'promote');
  if (promoted)
    said.push(
      `${promoted.actor} promoted it${promoted.data.full ? ' straight to 100%' : ''}${promoted.data.reason ? `: ${promoted.data.reason}` : ''}`,
    );
  const explained = new Set<string>();
  for (const event of events) {
    if (event.type !== EVENT.decision) continue;
    const explanation = String(event.data.explanation ?? event.data.reason ?? '');
    if (explained.has(explanation)) continue;
    explained.add(explanation);
    said.push(`${atWeight(event, events)}${describeEvent(event)}`);
  }
  const rollback = events.find((e) => e.type === EVENT.rollbackStarted);
  if (rollback && !said.some((text) => text.includes(String(rollback.data.reason))))
    said.push(`rolled back because ${rollback.data.reason}`);
  if (said.length === 0) said.push(reason);
  return said;
}

export function summaryText(outcomes: DeploymentOutcome[], traffic: TrafficTotals): string[] {
  const lines = ['', 'Summary', ''];
  for (const outcome of outcomes) {
    lines.push(
      `  ${outcome.version.padEnd(4)} ${outcome.status.replace('_', ' ').padEnd(12)} in ${formatDuration(outcome.durationMs)}`,
    );
    for (const decision of outcome.decisions) lines.push(`         · ${decision}`);
  }
  lines.push('', `  users sent ${traffic.requests} requests; ${traffic.failed} failed`);
  for (const [version, counts] of Object.entries(traffic.byVersion).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`    ${version.padEnd(5)} answered ${counts.requests}, of which ${counts.failed} failed`);
  return lines;
}
