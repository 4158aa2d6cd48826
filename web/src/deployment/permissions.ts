// What the signed-in person may do on this deployment now, so the page shows only those buttons.
// The server checks again on every request; this only keeps the page from offering what it would refuse.

import type { DeploymentState } from '../../../src/deployment/state.js';
import type { Me, StepOutline } from '../api.js';

const TERMINAL = new Set(['succeeded', 'rolled_back', 'failed', 'aborted']);

export interface Allowed {
  approve: { step: StepOutline; roles: string[] } | undefined;
  check: StepOutline | undefined;
  pause: boolean;
  promote: boolean;
  resume: boolean;
  abort: boolean;
}

export function allowedActions(me: Me, state: DeploymentState, steps: StepOutline[]): Allowed {
  const ended = TERMINAL.has(state.status);
  const operate = me.actions.includes('operate') && !ended;
  const paused = state.status === 'paused';
  return {
    approve: ended ? undefined : approvable(me, state, steps),
    check: !ended && me.actions.includes('check') ? checklistOpen(state, steps) : undefined,
    pause: operate && ['pending', 'running', 'waiting'].includes(state.status),
    promote: operate && ['running', 'waiting', 'paused'].includes(state.status),
    resume: operate && paused,
    abort: operate && state.track === 'main',
  };
}

function approvable(me: Me, state: DeploymentState, steps: StepOutline[]) {
  if (!me.actions.includes('approve') || me.name === state.requestedBy) return undefined;
  const current = state.current && steps.find((s) => s.id === state.current?.stepId);
  const step =
    current?.kind === 'approval'
      ? current
      : steps.find((s) => s.kind === 'approval' && s.index >= state.next.main && !state.steps[s.id]?.outcome);
  if (!step?.approvals || state.track !== 'main') return undefined;
  const granted = state.approvals.filter((a) => a.stepId === step.id);
  if (granted.some((a) => a.by === me.name)) return undefined;
  const missing = step.approvals
    .filter(({ role, count }) => granted.filter((a) => a.role === role).length < count)
    .map(({ role }) => role);
  const roles = missing.filter((role) => me.roles.includes(role));
  return roles.length > 0 ? { step, roles } : undefined;
}

function checklistOpen(state: DeploymentState, steps: StepOutline[]): StepOutline | undefined {
  return steps.find(
    (s) =>
      s.kind === 'checklist' &&
      !state.steps[s.id]?.outcome &&
      (s.items?.length ?? 0) > state.checks.filter((c) => c.stepId === s.id).length,
  );
}
