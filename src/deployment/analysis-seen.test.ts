import { describe, expect, it } from 'vitest';
import { analysisSeen } from './analysis-seen.js';
import { EVENT } from './events.js';
import { eventsFrom } from './testing/events.js';

const events = eventsFrom('d-1', [
  { type: EVENT.created },
  { type: EVENT.measurement, data: { metric: 'error_rate', value: 0.2 } },
  { type: EVENT.decision, data: { tier: 'pass', explanation: 'error_rate 0.2% is below 1%' } },
  { type: EVENT.measurement, data: { metric: 'error_rate', value: 0.4 } },
  { type: EVENT.measurement, data: { metric: 'p95_latency', value: 120 } },
  { type: EVENT.decision, data: { tier: 'warn', explanation: 'error_rate 0.6% is above 0.5%' } },
]);

describe('analysisSeen', () => {
  it('keeps the latest decision and the latest value of each metric up to the event seen', () => {
    expect(analysisSeen(events, 3)).toEqual({
      atEventIndex: 3,
      decision: { tier: 'pass', explanation: 'error_rate 0.2% is below 1%', at: events[2]?.at },
      measurements: [{ metric: 'error_rate', value: 0.4, at: events[3]?.at }],
    });
    expect(analysisSeen(events)?.decision?.tier).toBe('warn');
    expect(analysisSeen(events)?.measurements.map((m) => m.metric)).toEqual(['error_rate', 'p95_latency']);
  });

  it('is undefined for a deployment without analysis', () => {
    expect(analysisSeen(events.slice(0, 1))).toBeUndefined();
  });
});
