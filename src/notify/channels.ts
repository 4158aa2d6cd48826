// The plan's notification channels, rendered (secrets resolved) and ready to send to.

import type { Channel } from '../plan/schema/notify.js';
import type { Delivery } from './deliver.js';
import { EmailNotifier } from './email/email-notifier.js';
import type { Notification } from './notification.js';
import type { Notifier } from './notifier.js';
import { PagerDutyNotifier } from './pagerduty/pagerduty-notifier.js';
import { SlackNotifier } from './slack/slack-notifier.js';
import { WebhookNotifier } from './webhook/webhook-notifier.js';

export interface ChannelDelivery extends Delivery {
  channel: string;
}

export interface ChannelSender {
  has(channel: string): boolean;
  send(
    channels: readonly string[],
    notification: Notification,
    signal?: AbortSignal,
  ): Promise<ChannelDelivery[]>;
}

export function notifierFor(channel: Channel): Notifier {
  if ('slack' in channel) return new SlackNotifier(channel.slack);
  if ('email' in channel) return new EmailNotifier(channel.email);
  if ('pagerduty' in channel) return new PagerDutyNotifier(channel.pagerduty);
  return new WebhookNotifier(channel.webhook);
}

export function channelSender(
  channels: Readonly<Record<string, Channel>>,
  options: { timeoutMs?: number; attempts?: number } = {},
): ChannelSender {
  const notifiers = new Map(Object.entries(channels).map(([name, channel]) => [name, notifierFor(channel)]));
  return {
    has: (channel) => notifiers.has(channel),
    async send(names, notification, signal) {
      return Promise.all(
        names.map(async (channel) => {
          const notifier = notifiers.get(channel);
          if (!notifier) return { channel, ok: false, attempts: 0, error: `no channel named "${channel}"` };
          const request = notifier.request(notification, new Date());
          const delivery = await notifier.send(request, { ...options, signal });
          return { channel, ...delivery };
        }),
      );
    },
  };
}
