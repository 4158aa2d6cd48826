// Reminders before the deployment window opens, as a run extension (see notify/reminders.ts): active
// while the deployment waits on its window step.

import type { DeploymentState } from '../deployment/state.js';
import { reminderSchedule } from '../notify/reminders.js';
import type { ExpandedPlan } from '../plan/planned-step.js';
import type { Window } from '../plan/schema/window.js';
import { renderDeep } from '../plan/template.js';
import { windowState } from '../window/open.js';
import { timedNotifications } from './timed-notifier.js';

export const reminderWatcher = timedNotifications('reminder', (runtime) => {
  const { reminders, severity } = runtime.plan.notify;
  if (reminders.length === 0) return undefined;
  const rendered = renderDeep(reminders, runtime.template);
  return (state, nowMs) =>
    reminderSchedule(state, rendered, windowOpening(state, runtime.expanded, nowMs), severity, nowMs);
});

/** When the window the deployment is waiting for opens, if it is waiting for one. */
function windowOpening(state: DeploymentState, plan: ExpandedPlan, nowMs: number): Date | undefined {
  const current = state.current;
  if (state.status !== 'waiting' || !current || state.windowOverride) return undefined;
  const step = (current.track === 'main' ? plan.main : plan.rollback)[current.index];
  if (step?.kind !== 'window') return undefined;
  const window = windowState(step.spec as Window, new Date(nowMs));
  return window.open ? undefined : (window.opensAt ?? undefined);
}
