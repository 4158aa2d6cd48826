// Slack incoming webhooks: a `text` fallback plus blocks with the deployment's identity and severity.

import { type DeliverOptions, deliver } from '../deliver.js';
import type { Notification, OutgoingRequest } from '../notification.js';
import type { Notifier } from '../notifier.js';

export class SlackNotifier implements Notifier<OutgoingRequest> {
  readonly type = 'slack';

  constructor(private readonly webhookUrl: string) {}

  request(notification: Notification): OutgoingRequest {
    const { deployment } = notification;
    const context = `${notification.severity} · ${deployment.service} · ${deployment.environment} · ${deployment.version} · ${deployment.id}`;
    const body = {
      text: notification.text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: notification.text } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
      ],
    };
    return {
      url: this.webhookUrl,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    };
  }

  send(request: OutgoingRequest, options?: Partial<DeliverOptions>) {
    return deliver(request, options);
  }
}
