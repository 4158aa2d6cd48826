// Reading a deployment outside its run: record, events, folded state and expanded plan, for commands
// and the CLI. Secrets are not resolved here; nothing is run.

import { type DeploymentState, foldEvents } from '../deployment/state.js';
import { GantryError } from '../errors.js';
import type { DeploymentRecord, Journal, JournalEvent } from '../journal/journal.js';
import { expandPlan } from '../plan/expand.js';
import type { ExpandedPlan, PlannedStep } from '../plan/planned-step.js';
import { planFromSnapshot } from './runtime.js';
import { planSnapshotOf } from './snapshot.js';

export interface DeploymentView {
  record: DeploymentRecord;
  events: JournalEvent[];
  state: DeploymentState;
}

export async function loadDeployment(journal: Journal, id: string): Promise<DeploymentView> {
  const record = await journal.getDeployment(id);
  if (!record) {
    throw new GantryError('GANTRY_DEPLOYMENT_NOT_FOUND', `no deployment with id ${id}`, {
      hint: 'list deployments with `gantry history` or `gantry status`',
    });
  }
  const events = await journal.readEvents(id);
  return { record, events, state: foldEvents(events) };
}

export function expandedPlanOf(view: DeploymentView): ExpandedPlan {
  return expandPlan(planFromSnapshot(planSnapshotOf(view.record, view.events)));
}

/** The step a deployment is on now, or the first step of a section that has not finished yet. */
export function currentStep(view: DeploymentView, plan: ExpandedPlan): PlannedStep | undefined {
  const current = view.state.current;
  if (!current) return undefined;
  return (current.track === 'main' ? plan.main : plan.rollback)[current.index];
}
