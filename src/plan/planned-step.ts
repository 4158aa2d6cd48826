// A step as the engine runs it: a plan's sections (gates, steps, strategy, monitor, rollback) all
// expand to these, on two tracks: `main`, then `rollback` when something goes wrong.

import type { Track } from '../deployment/events.js';

export const SECTIONS = [
  'window',
  'preflight',
  'checklist',
  'approvals',
  'backup',
  'steps',
  'before',
  'strategy',
  'after',
  'monitor',
  'cleanup',
  'rollback',
] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * Sections that change nothing: a failure there ends the deployment `failed` with nothing to roll back.
 * Backups only read the service's data, so a failed backup stops the deployment before any change too.
 */
const GATES: ReadonlySet<Section> = new Set(['window', 'preflight', 'checklist', 'approvals', 'backup']);

export function isGate(section: Section): boolean {
  return GATES.has(section);
}

export interface PlannedStep {
  /** Stable id such as "preflight[0]" or "strategy[3]"; events and commands refer to it. */
  id: string;
  track: Track;
  index: number;
  section: Section;
  kind: string;
  name: string;
  /** The validated step (or gate) as its handler takes it. */
  spec: unknown;
  /** `gantry promote --full` skips this step when it has not started yet (checks, analysis, lower weights). */
  skippedOnFullPromotion?: boolean;
}

export interface ExpandedPlan {
  main: PlannedStep[];
  rollback: PlannedStep[];
  /** Hash of both tracks; a deployment refuses to resume on a different one unless re-planned. */
  hash: string;
}
