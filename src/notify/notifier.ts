// The Notifier interface: one channel type per sibling folder (slack/, webhook/, email/, pagerduty/).
// Building what to send is pure, so it is tested by equality; sending it is the thin layer that touches
// the network and turns every failure into a Delivery record.

import type { DeliverOptions, Delivery } from './deliver.js';
import type { Notification } from './notification.js';

export interface Notifier<Request = unknown> {
  readonly type: string;
  /** What this channel sends for a notification (an HTTP request, a mail message); pure. */
  request(notification: Notification, now: Date): Request;
  /** Sends it, with a timeout and a few retries; never throws. */
  send(request: Request, options?: Partial<DeliverOptions>): Promise<Delivery>;
}
