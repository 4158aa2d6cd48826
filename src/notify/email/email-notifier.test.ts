import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../testing/sample.js';
import { EmailNotifier } from './email-notifier.js';

describe('EmailNotifier', () => {
  it('builds a message whose subject starts with the severity and whose body names the deployment', () => {
    const notifier = new EmailNotifier({
      host: 'smtp.example.com',
      secure: false,
      from: 'Gantry <gantry@example.com>',
      to: ['all-team@example.com', 'ops@example.com'],
      auth: { user: 'gantry', password: 's3cret-pw' },
    });
    const escalation = { level: 1, levels: 4, trigger: 'failed' as const, since: '2026-01-01T11:59:00.000Z' };
    expect(notifier.request(sampleNotification({ escalation }))).toEqual({
      transport: {
        host: 'smtp.example.com',
        port: 587,
        secure: false,
        auth: { user: 'gantry', pass: 's3cret-pw' },
      },
      message: {
        from: 'Gantry <gantry@example.com>',
        to: ['all-team@example.com', 'ops@example.com'],
        subject: '[CRITICAL] shop-api 2.0.0 → production failed',
        text: [
          'shop-api 2.0.0 → production failed: step preflight[0] (migrations) failed: exit 1',
          '',
          'Deployment   d-1a2b',
          'Service      shop-api',
          'Environment  production',
          'Version      2.0.0 (replacing 1.9.0)',
          'Status       failed',
          'Severity     critical',
          'Escalation   level 1 of 4, failed since 2026-01-01T11:59:00.000Z',
          'At           2026-01-01T12:00:00.000Z',
          '',
          'Acknowledge to stop the escalation: gantry ack d-1a2b',
          '',
          '-- ',
          'Sent by Gantry',
          '',
        ].join('\n'),
        messageId: '<d-1a2b.12@gantry>',
        headers: {
          'X-Gantry-Event': 'failed',
          'X-Gantry-Severity': 'critical',
          'X-Gantry-Deployment': 'd-1a2b',
        },
      },
    });
  });

  it('uses port 465 for TLS from the start and logs in only when given credentials', () => {
    const notifier = new EmailNotifier({ host: 'mail', secure: true, from: 'g@x', to: ['a@x'] });
    expect(notifier.request(sampleNotification()).transport).toEqual({
      host: 'mail',
      port: 465,
      secure: true,
    });
  });
});
