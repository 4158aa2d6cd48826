// PagerDuty Events API v2: one incident per deployment (dedup key `gantry/<id>`), triggered by what goes
// wrong, acknowledged when someone runs `gantry ack`, resolved by the events the plan names (success).

import type { NotificationEvent } from '../../plan/schema/notify.js';
import { type DeliverOptions, deliver } from '../deliver.js';
import type { Notification, OutgoingRequest } from '../notification.js';
import type { Notifier } from '../notifier.js';

export interface PagerDutyOptions {
  routingKey: string;
  url: string;
  resolveOn: readonly NotificationEvent[];
}

/** PagerDuty cuts summaries at 1024 characters; cut them ourselves so the end is marked. */
const SUMMARY_LIMIT = 1024;

export class PagerDutyNotifier implements Notifier<OutgoingRequest> {
  readonly type = 'pagerduty';

  constructor(private readonly options: PagerDutyOptions) {}

  request(notification: Notification): OutgoingRequest {
    const action = this.actionFor(notification.event);
    const common = {
      routing_key: this.options.routingKey,
      event_action: action,
      dedup_key: dedupKeyOf(notification.deployment.id),
    };
    const body = action === 'trigger' ? { ...common, ...triggerFields(notification) } : common;
    return {
      url: this.options.url,
      headers: { 'content-type': 'application/json', 'user-agent': 'gantry' },
      body: JSON.stringify(body),
    };
  }

  send(request: OutgoingRequest, options?: Partial<DeliverOptions>) {
    return deliver(request, options);
  }

  private actionFor(event: NotificationEvent): 'trigger' | 'acknowledge' | 'resolve' {
    if (this.options.resolveOn.includes(event)) return 'resolve';
    return event === 'acknowledged' ? 'acknowledge' : 'trigger';
  }
}

export function dedupKeyOf(deploymentId: string): string {
  return `gantry/${deploymentId}`;
}

function triggerFields(notification: Notification) {
  const { deployment } = notification;
  return {
    payload: {
      summary: truncate(notification.title, SUMMARY_LIMIT),
      source: `gantry/${deployment.service}/${deployment.environment}`,
      severity: notification.severity,
      timestamp: notification.at,
      component: deployment.service,
      group: deployment.environment,
      class: notification.event,
      custom_details: {
        text: notification.text,
        deployment,
        ...(notification.escalation ? { escalation: notification.escalation } : {}),
        ...(notification.window ? { window: notification.window } : {}),
      },
    },
    client: 'Gantry',
  };
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
