// `approval`: waits until each required role has approved the required number of times, by different
// people, never the requester. Who may approve is checked when the approval is given (engine/commands).

import type { DeploymentState } from '../deployment/state.js';
import type { StepHandler } from './step.js';

export interface ApprovalRequirement {
  role: string;
  count: number;
}

export interface ApprovalSpec {
  approvals: ApprovalRequirement[];
  reason?: string;
}

/** The requirements not yet met for a step, with how many approvals each still needs. */
export function missingApprovals(
  state: DeploymentState,
  stepId: string,
  spec: ApprovalSpec,
): ApprovalRequirement[] {
  const granted = state.approvals.filter((approval) => approval.stepId === stepId);
  return spec.approvals
    .map(({ role, count }) => ({
      role,
      count: count - granted.filter((approval) => approval.role === role).length,
    }))
    .filter((requirement) => requirement.count > 0);
}

export const approvalHandler: StepHandler<ApprovalSpec> = {
  kind: 'approval',
  idempotent: () => true,
  async run(context, spec) {
    const stepId = context.step.id;
    const roles = spec.approvals.map((r) => r.role).join(', ');
    const approvals = await context.waitFor(
      { waitingFor: `approval by ${roles} — \`gantry approve ${context.deployment.id} --as USER\`` },
      (state) =>
        missingApprovals(state, stepId, spec).length === 0
          ? state.approvals.filter((approval) => approval.stepId === stepId)
          : undefined,
    );
    return { ok: true, result: { approvedBy: approvals?.map(({ by, role, at }) => ({ by, role, at })) } };
  },
};
