// The `reduce` tier of analysis steps (runbook 004: "If issues found: reduce traffic back to 5%, investigate,
// fix and re-test, retry the phase"). The decision is journaled first (it carries the weights, and the
// fold turns it into a pause for a person), then the traffic goes down; the step waits for the answer:
// `resume` puts the phase's weight back and judges the phase again, `promote` ends the step. Abort or a
// rollback rule stop the wait as they stop any step. After a crash, the re-run step finds the reduction
// in the journal and waits again, without judging or changing anything first.

import { type Decision, decisionRecord } from '../analysis/decision.js';
import { EVENT } from '../deployment/events.js';
import type { DeploymentState } from '../deployment/state.js';
import type { StepContext } from './step.js';
import { changeTarget, describeShares, recordWeights, sharesFor } from './target-change.js';

export type Reduction = NonNullable<DeploymentState['reduction']>;

/** What the person answered: `resume` (judge the phase again from `atMs`) or `promote` (go on). */
export interface ReductionAnswer {
  command: 'resume' | 'promote';
  by: string;
  atMs: number;
}

/** This step's reduction still waiting for an answer (or answered, when the step re-runs after a crash). */
export function openReduction(context: StepContext): Reduction | undefined {
  const reduction = context.state().reduction;
  if (!reduction || reduction.stepId !== context.step.id) return undefined;
  return reduction.eventIndex >= context.firstStartedAtEvent ? reduction : undefined;
}

export async function reduceTraffic(
  context: StepContext,
  decision: Decision,
  toPct: number,
): Promise<Reduction> {
  const fromPct = context.state().weightPct ?? 0;
  const explanation = `${decision.explanation}: ${fromPct}% → ${toPct}% of the traffic until a person answers`;
  await context.record(EVENT.decision, {
    ...decisionRecord({ ...decision, explanation }, { source: 'analysis' }),
    fromPct,
    toPct,
  });
  const reduction = openReduction(context);
  if (!reduction) throw new Error(`${context.step.id}: the reduce decision is not in the journal`);
  await setWeight(context, toPct);
  return reduction;
}

/** Waits for `resume` or `promote` given after the reduction; on `resume`, the phase's weight comes back. */
export async function answerTo(context: StepContext, reduction: Reduction): Promise<ReductionAnswer> {
  if ((context.state().weightPct ?? 0) > reduction.toPct && !answered(context.state(), reduction))
    await setWeight(context, reduction.toPct);
  const { id } = context.deployment;
  const answer = await context.waitFor(
    {
      status: 'paused', // a rule stopped the rollout: the escalation ladder for `paused` applies
      waitingFor: `a person: traffic was reduced to ${reduction.toPct}% — \`gantry resume ${id}\` retries this phase at ${reduction.fromPct}%, \`gantry promote ${id}\` goes on, \`gantry abort ${id}\` rolls back`,
    },
    (state) => answered(state, reduction),
  );
  if (!answer) throw new Error('the wait for an answer to the reduced traffic ended without one');
  if (answer.command === 'resume') await setWeight(context, reduction.fromPct);
  context.log(`${answer.by} answered the reduced traffic with ${answer.command}`);
  return answer;
}

function answered(state: DeploymentState, reduction: Reduction): ReductionAnswer | undefined {
  const command = state.commands.find(
    (c) => c.eventIndex > reduction.eventIndex && (c.command === 'resume' || c.command === 'promote'),
  );
  if (!command) return undefined;
  return { command: command.command as 'resume' | 'promote', by: command.by, atMs: Date.parse(command.at) };
}

/** Idempotent: the same split set twice is one split. */
async function setWeight(context: StepContext, weightPct: number): Promise<void> {
  const sharesPct = sharesFor(context, weightPct);
  await changeTarget(context, `send ${describeShares(sharesPct)}`, (target) => target.setTraffic(sharesPct));
  await recordWeights(context, sharesPct);
}
