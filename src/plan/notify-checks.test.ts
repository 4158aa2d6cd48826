import { describe, expect, it } from 'vitest';
import { parsePlan } from './load.js';

function placed(source: string): string[] {
  const result = parsePlan(source, 'plan.yaml');
  if (result.ok) throw new Error('expected the plan to be invalid');
  return result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
}

const channels = [
  'notify:',
  '  channels:',
  `    oncall: { pagerduty: { routingKey: "\${secrets.PD_KEY}" } }`,
  `    team: { slack: "\${secrets.SLACK}" }`,
];
const head = [
  'service: s',
  'secrets: { PD_KEY: { env: PD_KEY }, SLACK: { env: SLACK } }',
  'steps: [{ wait: 1s }]',
];

describe('notification checks', () => {
  it('accepts the ladder of the runbooks written either way, and reminders with a window', () => {
    const plan = [
      ...head,
      'window: { timezone: UTC, allow: ["daily 02:00-06:00"] }',
      ...channels,
      '  escalation:',
      '    on: [interrupted, failed, waiting]',
      '    levels: [{ after: 0m, channels: [oncall] }, { after: 15m, channels: [team] }]',
      '  reminders: [{ before: 24h, channels: [team] }, { before: 1h, channels: [team, oncall] }]',
      '  severity: { rolled_back: error }',
    ].join('\n');
    const result = parsePlan(plan, 'plan.yaml');
    expect(result.ok && result.plan.notify.escalation).toEqual({
      on: ['interrupted', 'failed', 'waiting'],
      levels: [
        { after: 0, channels: ['oncall'] },
        { after: 900_000, channels: ['team'] },
      ],
    });
    const list = [...head, ...channels, '  escalation: [{ after: 0m, channels: [oncall] }]'].join('\n');
    const parsed = parsePlan(list, 'plan.yaml');
    expect(parsed.ok && parsed.plan.notify.escalation).toEqual([{ after: 0, channels: ['oncall'] }]);
  });

  it('points at channels an escalation level or a reminder names but nobody declared', () => {
    const plan = [
      ...head,
      'window: { allow: ["daily 02:00-06:00"] }',
      ...channels,
      '  escalation: [{ after: 0m, channels: [oncal] }, { after: 1h, channels: [cto] }]',
      '  reminders: [{ before: 1h, channels: [teem] }]',
    ].join('\n');
    expect(placed(plan)).toEqual([
      `9:40 no channel named "oncal" under notify.channels (did you mean 'oncall'?)`,
      '9:74 no channel named "cto" under notify.channels',
      `10:40 no channel named "teem" under notify.channels (did you mean 'team'?)`,
    ]);
  });

  it('refuses reminders without a window to count down to, and levels out of order', () => {
    const plan = [
      ...head,
      ...channels,
      '  escalation: { levels: [{ after: 30m, channels: [oncall] }, { after: 15m, channels: [team] }] }',
      '  reminders: [{ before: 1h, channels: [team] }]',
    ].join('\n');
    expect(placed(plan)).toEqual([
      '8:71 each level comes no earlier than the one before it, got "15m"',
      '9:3 reminders count down to the deployment window: add a `window` (timezone and allowed ranges)',
    ]);
  });
});
