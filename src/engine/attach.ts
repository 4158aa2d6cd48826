// What a run does when it takes a deployment over (first start or after a crash): journal the takeover,
// check the plan still expands the same, and interrupt a non-idempotent step that was cut off.

import { EVENT } from '../deployment/events.js';
import { GantryError } from '../errors.js';
import type { Lease } from '../journal/journal.js';
import type { StepHandler } from '../steps/step.js';
import { interruptStep } from './interrupt.js';
import type { DeploymentRun } from './run.js';

export interface AttachOptions {
  lease: Lease;
  /** The holder this engine replaced, when it took over from a dead one. */
  replaced?: string;
  /** The operator accepts a plan whose expansion changed. */
  replan?: boolean;
  by?: string;
}

export async function attach(run: DeploymentRun, options: AttachOptions): Promise<void> {
  const { writer } = run.options;
  const takeover = run.state.eventCount > 1;
  await writer.append({
    type: EVENT.driverAttached,
    data: {
      holderId: options.lease.holderId,
      host: options.lease.host,
      pid: options.lease.pid,
      epoch: options.lease.epoch,
      takeover,
      replacing: options.replaced,
    },
  });
  await checkPlanHash(run, options);
  await interruptCutOffStep(run, run.options.handlers);
}

async function checkPlanHash(run: DeploymentRun, options: AttachOptions): Promise<void> {
  const { writer, runtime } = run.options;
  if (run.state.planHash === runtime.expanded.hash) return;
  if (!options.replan) {
    throw new GantryError(
      'GANTRY_PLAN_CHANGED',
      'the plan now expands to different steps than when this deployment started',
      {
        where: run.state.id,
        hint: `check \`gantry plan\`, then run \`gantry resume ${run.state.id} --replan\` to continue with the new steps, or \`gantry abort ${run.state.id}\``,
        context: { startedWith: run.state.planHash, now: runtime.expanded.hash },
      },
    );
  }
  await writer.append({
    type: EVENT.planReplaced,
    data: { planHash: runtime.expanded.hash, previousHash: run.state.planHash },
    actor: options.by,
  });
}

async function interruptCutOffStep(
  run: DeploymentRun,
  handlers: ReadonlyMap<string, StepHandler>,
): Promise<void> {
  const current = run.state.current;
  if (!current || current.outcome === 'interrupted' || run.state.status === 'interrupted') return;
  const steps =
    current.track === 'main' ? run.options.runtime.expanded.main : run.options.runtime.expanded.rollback;
  const step = steps[current.index];
  const handler = step && handlers.get(step.kind);
  if (step && handler?.idempotent(step.spec)) {
    run.options.log(
      `${step.id} was running when the previous engine stopped; it is idempotent and runs again`,
    );
    return;
  }
  const id = run.state.id;
  const reason = `${current.stepId} (${step?.name ?? 'unknown step'}) was running when its engine stopped and may or may not have finished; it is not safe to run twice`;
  await interruptStep(
    run,
    { stepId: current.stepId, track: current.track, index: current.index },
    {
      step: reason,
      status: `${reason}. Check its effect, then \`gantry resume ${id} --retry\` to run it again, \`gantry resume ${id} --skip\` to go on, or \`gantry abort ${id}\` to roll back`,
    },
  );
}
