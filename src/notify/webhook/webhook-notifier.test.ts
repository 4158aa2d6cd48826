import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../testing/sample.js';
import { verifySignature } from './signature.js';
import { WebhookNotifier } from './webhook-notifier.js';

describe('WebhookNotifier', () => {
  it('posts the notification with its severity, signed over the timestamp and body', () => {
    const notifier = new WebhookNotifier({
      url: 'https://hooks.example.com/g',
      secret: 'whsec',
      headers: {},
    });
    const notification = sampleNotification();
    const request = notifier.request(notification, new Date('2026-01-01T12:00:05Z'));
    expect(JSON.parse(request.body)).toEqual(notification);
    expect(JSON.parse(request.body).severity).toBe('critical');
    const { 'x-gantry-signature': signature, ...headers } = request.headers;
    expect(headers).toEqual({
      'content-type': 'application/json',
      'user-agent': 'gantry',
      'x-gantry-event': 'failed',
      'x-gantry-delivery': 'd-1a2b:12',
      'x-gantry-severity': 'critical',
      'x-gantry-timestamp': '1767268805',
    });
    expect(verifySignature('whsec', '1767268805', request.body, String(signature))).toBe(true);
  });
});
