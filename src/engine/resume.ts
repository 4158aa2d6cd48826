// Answering a stopped deployment: resume after a pause, retry or skip an interrupted step, or replace its
// plan. Shared by `gantry resume` and the server; starting an engine afterwards is the caller's business.

import { EVENT } from '../deployment/events.js';
import { isPaused } from '../deployment/state.js';
import { isTerminal } from '../deployment/status.js';
import { GantryError } from '../errors.js';
import type { Journal, PlanSnapshot } from '../journal/journal.js';
import { expandPlan } from '../plan/expand.js';
import { loadDeployment } from './inspect.js';
import { giveCommand } from './operator.js';
import { planFromSnapshot } from './runtime.js';

export interface ResumeRequest {
  retry?: boolean;
  skip?: boolean;
  replan?: boolean;
  /** With replan: continue with this plan; `label` is how the user named it (the file they gave). */
  plan?: { snapshot: PlanSnapshot; label: string };
}

/** Journals the answers the request asks for; returns what was done, in words. */
export async function answerResume(
  journal: Journal,
  id: string,
  user: string,
  request: ResumeRequest,
): Promise<string[]> {
  const { state } = await loadDeployment(journal, id);
  if (isTerminal(state.status))
    throw new GantryError('GANTRY_INVALID_STATE', `${id} has ended (${state.status}); nothing to resume`);
  const actions: string[] = [];
  if (request.plan) {
    if (!request.replan)
      throw new GantryError('GANTRY_USAGE', '--plan needs --replan', {
        hint: 'add --replan to accept the new steps',
      });
    await replacePlan(journal, id, request.plan.snapshot, user, state.planHash);
    actions.push(`plan replaced by ${request.plan.label}`);
  }
  if (state.status === 'interrupted') {
    if (!request.retry && !request.skip) {
      throw new GantryError('GANTRY_USAGE', `${id} is interrupted: ${state.statusReason}`, {
        hint: 'choose --retry or --skip (or `gantry abort` to roll back)',
      });
    }
    await giveCommand(journal, id, request.retry ? 'retry' : 'skip', { user });
    actions.push(request.retry ? 'retrying the interrupted step' : 'skipping the interrupted step');
  } else if (isPaused(state)) {
    await giveCommand(journal, id, 'resume', { user });
    actions.push('resumed');
  }
  return actions;
}

async function replacePlan(
  journal: Journal,
  id: string,
  snapshot: PlanSnapshot,
  user: string,
  previousHash: string,
): Promise<void> {
  const expanded = expandPlan(planFromSnapshot(snapshot));
  await journal.append([
    {
      deploymentId: id,
      events: [
        {
          type: EVENT.planReplaced,
          data: { planHash: expanded.hash, previousHash, path: snapshot.path, source: snapshot.source },
          actor: user,
        },
      ],
    },
  ]);
}
