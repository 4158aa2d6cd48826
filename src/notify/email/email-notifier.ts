// Email through SMTP: the subject starts with the severity, the body holds the message and the deployment's
// identity. The message and the SMTP connection settings are built as data; send-mail.ts sends them.

import type { EmailChannel } from '../../plan/schema/notify.js';
import type { DeliverOptions } from '../deliver.js';
import type { Notification } from '../notification.js';
import type { Notifier } from '../notifier.js';
import { sendMail } from './send-mail.js';

export interface MailRequest {
  transport: { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };
  message: {
    from: string;
    to: string[];
    subject: string;
    text: string;
    /** From the delivery id: a resent message keeps its id, so mail clients thread or drop duplicates. */
    messageId: string;
    headers: Record<string, string>;
  };
}

export class EmailNotifier implements Notifier<MailRequest> {
  readonly type = 'email';

  constructor(private readonly channel: EmailChannel) {}

  request(notification: Notification): MailRequest {
    const { host, port, secure, from, to, auth } = this.channel;
    return {
      transport: {
        host,
        port: port ?? (secure ? 465 : 587),
        secure,
        ...(auth ? { auth: { user: auth.user, pass: auth.password } } : {}),
      },
      message: {
        from,
        to,
        subject: `[${notification.severity.toUpperCase()}] ${notification.title}`,
        text: bodyOf(notification),
        messageId: `<${notification.deliveryId.replace(/[^A-Za-z0-9.-]/g, '.')}@gantry>`,
        headers: {
          'X-Gantry-Event': notification.event,
          'X-Gantry-Severity': notification.severity,
          'X-Gantry-Deployment': notification.deployment.id,
        },
      },
    };
  }

  send(request: MailRequest, options?: Partial<DeliverOptions>) {
    return sendMail(request, options);
  }
}

function bodyOf(notification: Notification): string {
  const { deployment, escalation, window } = notification;
  const was = deployment.previousVersion ? ` (replacing ${deployment.previousVersion})` : '';
  const rows: Array<[string, string]> = [
    ['Deployment', deployment.id],
    ['Service', deployment.service],
    ['Environment', deployment.environment],
    ['Version', `${deployment.version}${was}`],
    ['Status', deployment.status],
    ['Severity', notification.severity],
  ];
  if (escalation)
    rows.push([
      'Escalation',
      `level ${escalation.level} of ${escalation.levels}, ${escalation.trigger} since ${escalation.since}`,
    ]);
  if (window) rows.push(['Window opens', window.opensAt]);
  rows.push(['At', notification.at]);
  const table = rows.map(([key, value]) => `${key.padEnd(13)}${value}`).join('\n');
  const ack = escalation ? `\n\nAcknowledge to stop the escalation: gantry ack ${deployment.id}` : '';
  return `${notification.text}\n\n${table}${ack}\n\n-- \nSent by Gantry\n`;
}
