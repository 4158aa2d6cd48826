// Expands a validated plan into the two tracks of steps the engine runs. One interpreter runs them all:
// gates, preflight, plain steps, strategy steps, monitor stages and rollback steps.

import { createHash } from 'node:crypto';
import type { Track } from '../deployment/events.js';
import { canonicalJson } from '../journal/hash-chain.js';
import { describeStep } from './describe-step.js';
import { migrationUndoDrafts } from './migration-undo.js';
import type { ExpandedPlan, PlannedStep, Section } from './planned-step.js';
import type { Plan } from './schema/plan.js';
import { kindOf, type StepSpec } from './schema/steps.js';
import { expandStrategy } from './strategies/expand-strategy.js';

export interface StepDraft {
  section: Section;
  kind: string;
  spec: unknown;
  name?: string;
  skippedOnFullPromotion?: boolean;
}

export function expandPlan(plan: Plan): ExpandedPlan {
  const main = number('main', [...gateDrafts(plan), ...bodyDrafts(plan)]);
  const rollback = number('rollback', [
    ...(plan.strategy ? expandStrategy(plan).rollback : []),
    ...migrationUndoDrafts(main),
    ...plan.rollback.steps.map((spec) => fromSpec('rollback', spec)),
  ]);
  return { main, rollback, hash: hashSteps(main, rollback) };
}

function gateDrafts(plan: Plan): StepDraft[] {
  const drafts: StepDraft[] = [];
  if (plan.window)
    drafts.push({ section: 'window', kind: 'window', spec: plan.window, name: 'deployment window' });
  for (const spec of plan.preflight) drafts.push(fromSpec('preflight', spec));
  if (plan.checklist.length > 0) {
    drafts.push({
      section: 'checklist',
      kind: 'checklist',
      spec: { checklist: plan.checklist },
      name: 'checklist',
    });
  }
  if (plan.approvals.length > 0) {
    drafts.push({
      section: 'approvals',
      kind: 'approval',
      spec: { approvals: plan.approvals },
      name: 'approvals',
    });
  }
  return drafts;
}

function bodyDrafts(plan: Plan): StepDraft[] {
  const backups = plan.backup.map((spec) => ({
    section: 'backup' as const,
    kind: 'backup',
    spec,
    name: `backup ${spec.name}`,
  }));
  if (!plan.strategy) {
    const steps = Array.isArray(plan.steps) ? plan.steps : [];
    return [...backups, ...steps.map((spec) => fromSpec('steps', spec)), ...monitorDrafts(plan)];
  }
  const hooks = Array.isArray(plan.steps)
    ? { before: [], after: [] }
    : (plan.steps ?? { before: [], after: [] });
  const strategy = expandStrategy(plan);
  return [
    ...backups,
    ...hooks.before.map((spec) => fromSpec('before', spec)),
    ...strategy.main,
    ...hooks.after.map((spec) => fromSpec('after', spec)),
    // Monitor stages go here, before cleanup: the previous version stays warm while rules are armed.
    ...monitorDrafts(plan),
    ...strategy.cleanup,
  ];
}

/** The `monitor` stages: after the strategy and the `after` hooks, the automatic rules stay armed. */
function monitorDrafts(plan: Plan): StepDraft[] {
  return plan.monitor.map((stage) => ({
    section: 'monitor' as const,
    kind: 'monitor',
    spec: { monitor: stage },
  }));
}

/** A plan step as a draft; approval and approval-pauses become the `approval` kind with a requirement list. */
export function fromSpec(section: Section, spec: StepSpec): StepDraft {
  const kind = kindOf(spec);
  if (kind === 'approval' && 'approval' in spec) {
    return { section, kind: 'approval', spec: { approvals: [spec.approval] }, name: spec.name };
  }
  if (kind === 'pause' && 'pause' in spec && spec.pause.approval) {
    const approvals = [{ role: spec.pause.approval, count: 1 }];
    return { section, kind: 'approval', spec: { approvals, reason: spec.pause.reason }, name: spec.name };
  }
  return { section, kind, spec, name: spec.name };
}

function number(track: Track, drafts: StepDraft[]): PlannedStep[] {
  const counters = new Map<Section, number>();
  return drafts.map((draft, index) => {
    const position = counters.get(draft.section) ?? 0;
    counters.set(draft.section, position + 1);
    return {
      id: `${draft.section}[${position}]`,
      track,
      index,
      section: draft.section,
      kind: draft.kind,
      name: draft.name ?? describeStep(draft.kind, draft.spec),
      spec: draft.spec,
      ...(draft.skippedOnFullPromotion ? { skippedOnFullPromotion: true } : {}),
    };
  });
}

function hashSteps(main: PlannedStep[], rollback: PlannedStep[]): string {
  const shape = [...main, ...rollback].map(({ id, kind, spec }) => ({ id, kind, spec }));
  return createHash('sha256').update(canonicalJson(shape)).digest('hex');
}
