import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../testing/sample.js';
import { SlackNotifier } from './slack-notifier.js';

describe('SlackNotifier', () => {
  it('sends the text with a context line starting with the severity', () => {
    const request = new SlackNotifier('https://hooks.slack.com/services/T/B/X').request(sampleNotification());
    expect(request).toEqual({
      url: 'https://hooks.slack.com/services/T/B/X',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text: sampleNotification().text,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: sampleNotification().text } },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: 'critical · shop-api · production · 2.0.0 · d-1a2b' }],
          },
        ],
      }),
    });
  });
});
