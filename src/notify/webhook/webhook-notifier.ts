// Generic webhooks: the notification as JSON (event, severity, deployment…), with delivery id, timestamp and
// an HMAC signature.

import { type DeliverOptions, deliver } from '../deliver.js';
import type { Notification, OutgoingRequest } from '../notification.js';
import type { Notifier } from '../notifier.js';
import { signPayload } from './signature.js';

export interface WebhookOptions {
  url: string;
  secret?: string;
  headers: Record<string, string>;
}

export class WebhookNotifier implements Notifier<OutgoingRequest> {
  readonly type = 'webhook';

  constructor(private readonly options: WebhookOptions) {}

  request(notification: Notification, now: Date): OutgoingRequest {
    const body = JSON.stringify(notification);
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const headers: Record<string, string> = {
      ...this.options.headers,
      'content-type': 'application/json',
      'user-agent': 'gantry',
      'x-gantry-event': notification.event,
      'x-gantry-delivery': notification.deliveryId,
      'x-gantry-severity': notification.severity,
      'x-gantry-timestamp': timestamp,
    };
    if (this.options.secret)
      headers['x-gantry-signature'] = signPayload(this.options.secret, timestamp, body);
    return { url: this.options.url, headers, body };
  }

  send(request: OutgoingRequest, options?: Partial<DeliverOptions>) {
    return deliver(request, options);
  }
}
