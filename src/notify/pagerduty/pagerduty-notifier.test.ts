import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../testing/sample.js';
import { PagerDutyNotifier } from './pagerduty-notifier.js';

const notifier = new PagerDutyNotifier({
  routingKey: 'R0UTINGKEY',
  url: 'https://events.pagerduty.com/v2/enqueue',
  resolveOn: ['succeeded'],
});

describe('PagerDutyNotifier', () => {
  it('triggers an incident keyed by the deployment, with the notification severity and details', () => {
    const escalation = { level: 2, levels: 4, trigger: 'failed' as const, since: '2026-01-01T11:45:00.000Z' };
    const request = notifier.request(sampleNotification({ escalation }));
    expect(request.url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(request.headers).toEqual({ 'content-type': 'application/json', 'user-agent': 'gantry' });
    expect(JSON.parse(request.body)).toEqual({
      routing_key: 'R0UTINGKEY',
      event_action: 'trigger',
      dedup_key: 'gantry/d-1a2b',
      payload: {
        summary: 'shop-api 2.0.0 → production failed',
        source: 'gantry/shop-api/production',
        severity: 'critical',
        timestamp: '2026-01-01T12:00:00.000Z',
        component: 'shop-api',
        group: 'production',
        class: 'failed',
        custom_details: {
          text: 'shop-api 2.0.0 → production failed: step preflight[0] (migrations) failed: exit 1',
          deployment: sampleNotification().deployment,
          escalation,
        },
      },
      client: 'Gantry',
    });
  });

  it('resolves the same incident on success and acknowledges it on `gantry ack`', () => {
    const resolve = notifier.request(sampleNotification({ event: 'succeeded', severity: 'info' }));
    expect(JSON.parse(resolve.body)).toEqual({
      routing_key: 'R0UTINGKEY',
      event_action: 'resolve',
      dedup_key: 'gantry/d-1a2b',
    });
    const ack = notifier.request(sampleNotification({ event: 'acknowledged', severity: 'info' }));
    expect(JSON.parse(ack.body)).toEqual({
      routing_key: 'R0UTINGKEY',
      event_action: 'acknowledge',
      dedup_key: 'gantry/d-1a2b',
    });
  });

  it('cuts a summary longer than PagerDuty keeps, marking the cut', () => {
    const request = notifier.request(sampleNotification({ title: 'x'.repeat(2_000) }));
    const summary: string = JSON.parse(request.body).payload.summary;
    expect(summary).toHaveLength(1024);
    expect(summary.endsWith('…')).toBe(true);
  });
});
