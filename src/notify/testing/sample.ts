// A notification as the engine builds one, for the channel tests.

import type { Notification } from '../notification.js';

export function sampleNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    deliveryId: 'd-1a2b:12',
    event: 'failed',
    severity: 'critical',
    title: 'shop-api 2.0.0 → production failed',
    text: 'shop-api 2.0.0 → production failed: step preflight[0] (migrations) failed: exit 1',
    deployment: {
      id: 'd-1a2b',
      service: 'shop-api',
      environment: 'production',
      version: '2.0.0',
      previousVersion: '1.9.0',
      status: 'failed',
    },
    at: '2026-01-01T12:00:00.000Z',
    ...overrides,
  };
}
