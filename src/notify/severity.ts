// How severe each notification is, as incident tools rank it. The defaults follow the runbooks' incident
// tables: a deployment stuck without a person (interrupted) or failed is critical, one that was caught
// and undone (rolled back) or held by a rule a warning; a plan may re-rank any event under `notify.severity`.

import type { NotificationEvent, Severity } from '../plan/schema/notify.js';

export const DEFAULT_SEVERITY: Readonly<Record<NotificationEvent, Severity>> = {
  started: 'info',
  waiting: 'info',
  paused: 'warning',
  interrupted: 'critical',
  warning: 'warning',
  rolling_back: 'warning',
  rolled_back: 'warning',
  succeeded: 'info',
  failed: 'critical',
  aborted: 'warning',
  step: 'info',
  reminder: 'info',
  acknowledged: 'info',
};

export function severityOf(
  event: NotificationEvent,
  overrides: Partial<Record<NotificationEvent, Severity>> = {},
): Severity {
  return overrides[event] ?? DEFAULT_SEVERITY[event];
}
