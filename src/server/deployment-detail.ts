// What the dashboard's deployment page needs besides the events (which it folds itself, with the same
// fold as the engine): the record and plan text, the expanded steps, the metric bands, and its engine.
// The plan part needs the whole journal of the deployment (a `plan.replaced` may be anywhere in it), so
// it is kept per deployment until the event hub sees the plan replaced: the page asks again on every
// status change, and a long deployment has tens of thousands of events.

import { EVENT } from '../deployment/events.js';
import { isHolderDeadHere } from '../engine/holder.js';
import { expandedPlanOf, loadDeployment } from '../engine/inspect.js';
import { planFromSnapshot } from '../engine/runtime.js';
import { planSnapshotOf } from '../engine/snapshot.js';
import type { DeploymentRecord, Journal, Lease, PlanSnapshot } from '../journal/journal.js';
import type { PlannedStep } from '../plan/planned-step.js';
import type { EventHub } from './event-hub.js';
import { type MetricBand, metricBands } from './metric-bands.js';

export interface StepOutline {
  id: string;
  track: string;
  index: number;
  section: string;
  kind: string;
  name: string;
  /** Checklist items, for checklist steps. */
  items?: string[];
  /** Roles and counts, for approval steps. */
  approvals?: Array<{ role: string; count: number }>;
}

export interface DeploymentDetail {
  record: DeploymentRecord;
  steps: { main: StepOutline[]; rollback: StepOutline[] };
  bands: MetricBand[];
  /** The lease of the engine driving it, and whether that engine is alive. */
  engine: { alive: boolean; lease: Lease | null };
}

interface PlanPart {
  snapshot: PlanSnapshot;
  steps: DeploymentDetail['steps'];
  bands: MetricBand[];
}

const MAX_CACHED = 500;

export class DeploymentDetails {
  private readonly plans = new Map<string, PlanPart>();

  constructor(
    private readonly journal: Journal,
    hub?: EventHub,
  ) {
    hub?.subscribe((events) => {
      for (const event of events)
        if (event.type === EVENT.planReplaced) this.plans.delete(event.deploymentId);
    });
  }

  async get(id: string): Promise<DeploymentDetail> {
    const plan = this.plans.get(id) ?? (await this.loadPlan(id));
    const record = (await this.journal.getDeployment(id)) as DeploymentRecord;
    const lease = await this.journal.getLease(id);
    const alive = lease !== undefined && !isHolderDeadHere(lease) && Date.parse(lease.expiresAt) > Date.now();
    return {
      record: { ...record, plan: plan.snapshot },
      steps: plan.steps,
      bands: plan.bands,
      engine: { alive, lease: lease ?? null },
    };
  }

  private async loadPlan(id: string): Promise<PlanPart> {
    const view = await loadDeployment(this.journal, id);
    const snapshot = planSnapshotOf(view.record, view.events);
    const plan = expandedPlanOf(view);
    const part = {
      snapshot,
      steps: { main: plan.main.map(outline), rollback: plan.rollback.map(outline) },
      bands: metricBands(planFromSnapshot(snapshot)),
    };
    if (this.plans.size >= MAX_CACHED) this.plans.delete(this.plans.keys().next().value as string);
    this.plans.set(id, part);
    return part;
  }
}

function outline(step: PlannedStep): StepOutline {
  const spec = step.spec as { checklist?: string[]; approvals?: Array<{ role: string; count: number }> };
  return {
    id: step.id,
    track: step.track,
    index: step.index,
    section: step.section,
    kind: step.kind,
    name: step.name,
    ...(step.kind === 'checklist' && spec.checklist ? { items: spec.checklist } : {}),
    ...(step.kind === 'approval' && spec.approvals ? { approvals: spec.approvals } : {}),
  };
}
