// `gantry approve`: who may approve which step. The requester never approves their own deployment, a
// person counts once per step, and only for a role they hold that the step still needs. Refusals are journaled.

import { type AnalysisSeen, EVENT } from '../deployment/events.js';
import { isTerminal } from '../deployment/status.js';
import { GantryError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { PlannedStep } from '../plan/planned-step.js';
import { type ApprovalSpec, missingApprovals } from '../steps/approval.js';
import { currentStep, type DeploymentView, expandedPlanOf, loadDeployment } from './inspect.js';

export interface ApproveOptions {
  user: string;
  comment?: string;
  role?: string;
  /** What the approver saw of the analysis; recorded with the approval. */
  analysis?: AnalysisSeen;
}

export async function approve(
  journal: Journal,
  id: string,
  options: ApproveOptions,
): Promise<{ stepId: string; role: string }> {
  const view = await loadDeployment(journal, id);
  if (isTerminal(view.state.status))
    throw new GantryError(
      'GANTRY_INVALID_STATE',
      `${id} has ended (${view.state.status}); nothing to approve`,
    );
  const step = approvalStepFor(view);
  const user = await journal.getUser(options.user);
  if (!user) {
    throw new GantryError('GANTRY_USER_NOT_FOUND', `unknown user "${options.user}"`, {
      hint: `an administrator adds users with \`gantry user add ${options.user} --role ROLE\``,
    });
  }
  const refuse = async (reason: string): Promise<never> => {
    await journal.append([
      {
        deploymentId: id,
        events: [{ type: EVENT.approvalRefused, data: { stepId: step.id, reason }, actor: options.user }],
      },
    ]);
    throw new GantryError('GANTRY_NOT_ALLOWED', `approval refused: ${reason}`, { where: `${id} ${step.id}` });
  };
  if (options.user === view.state.requestedBy)
    await refuse(`${options.user} requested this deployment and cannot approve it`);
  if (view.state.approvals.some((a) => a.stepId === step.id && a.by === options.user)) {
    await refuse(`${options.user} has already approved ${step.id}; each person counts once`);
  }
  const needed = missingApprovals(view.state, step.id, step.spec as ApprovalSpec).map((r) => r.role);
  const usable = needed.filter(
    (role) => user.roles.includes(role) && (!options.role || role === options.role),
  );
  const role = usable[0];
  if (!role) {
    await refuse(
      `${options.user} holds ${user.roles.join(', ') || 'no roles'}, but ${step.id} still needs ${needed.join(', ')}`,
    );
  }
  await journal.append([
    {
      deploymentId: id,
      events: [
        {
          type: EVENT.approvalGranted,
          data: {
            stepId: step.id,
            role,
            ...(options.comment ? { comment: options.comment } : {}),
            ...(options.analysis ? { analysis: options.analysis } : {}),
          },
          actor: options.user,
        },
      ],
    },
  ]);
  return { stepId: step.id, role: role as string };
}

/** The approval step waiting now, else the first approval step not yet passed (approvals may come early). */
function approvalStepFor(view: DeploymentView): PlannedStep {
  const plan = expandedPlanOf(view);
  const current = currentStep(view, plan);
  if (current?.kind === 'approval') return current;
  const upcoming = plan.main.find(
    (step) =>
      step.kind === 'approval' &&
      step.index >= view.state.next.main &&
      view.state.steps[step.id]?.outcome === undefined,
  );
  if (upcoming && view.state.track === 'main') return upcoming;
  throw new GantryError('GANTRY_INVALID_STATE', `nothing in ${view.record.id} awaits approval`, {
    hint: `see what it is doing with \`gantry status ${view.record.id}\``,
  });
}
