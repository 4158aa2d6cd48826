// What Gantry tells people: one message per lifecycle event, notify step, escalation level or reminder.

import type { EscalationTrigger, NotificationEvent, Severity } from '../plan/schema/notify.js';

export interface Notification {
  /** Stable across retries and restarts, so receivers can drop duplicates. */
  deliveryId: string;
  /** A lifecycle event (started, rolled_back…), `step` for a notify step, `reminder`, `acknowledged`. */
  event: NotificationEvent;
  /** How bad it is, in the words alerting tools use (info, warning, error, critical). */
  severity: Severity;
  /** One line: an email subject, a PagerDuty summary. */
  title: string;
  text: string;
  deployment: {
    id: string;
    service: string;
    environment: string;
    version: string;
    previousVersion: string | null;
    status: string;
  };
  /** Set on a page of the escalation ladder: which level, and what the deployment is stuck in since when. */
  escalation?: { level: number; levels: number; trigger: EscalationTrigger; since: string };
  /** Set on a reminder: when the deployment window opens. */
  window?: { opensAt: string };
  at: string;
}

/** An HTTP request to send, built as data so tests compare it exactly. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}
