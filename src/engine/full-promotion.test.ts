import { describe, expect, it } from 'vitest';
import { EVENT } from '../deployment/events.js';
import { foldEvents } from '../deployment/state.js';
import { eventsFrom } from '../deployment/testing/events.js';
import type { ExpandedPlan, PlannedStep } from '../plan/planned-step.js';
import { nextAction } from './next-action.js';

const step = (id: string, index: number, kind: string, skippable = false): PlannedStep => ({
  id,
  section: 'strategy',
  index,
  track: 'main',
  kind,
  name: id,
  spec: {},
  ...(skippable ? { skippedOnFullPromotion: true } : {}),
});

const plan: ExpandedPlan = {
  main: [
    step('strategy[0]', 0, 'startVersion'),
    step('strategy[1]', 1, 'setWeight', true),
    step('strategy[2]', 2, 'analysis', true),
    step('strategy[3]', 3, 'setWeight'),
  ],
  rollback: [],
  hash: 'h',
};

const created = {
  type: EVENT.created,
  data: { service: 's', environment: 'e', version: '2', previousVersion: '1', planHash: 'h' },
  actor: 'alice',
};
const ref = (id: string, index: number) => ({ stepId: id, index, track: 'main' });
const startedFirst = [
  { type: EVENT.stepStarted, data: ref('strategy[0]', 0) },
  { type: EVENT.stepSucceeded, data: ref('strategy[0]', 0) },
];

function decide(events: Array<{ type: string; data?: Record<string, unknown>; actor?: string }>) {
  return nextAction(foldEvents(eventsFrom('d-1', [created, ...events])), plan);
}

describe('promote --full', () => {
  it('skips the remaining checks and lower weights, naming who promoted', () => {
    const action = decide([
      ...startedFirst,
      { type: EVENT.operatorCommand, data: { command: 'promote', full: true }, actor: 'bob' },
    ]);
    expect(action).toEqual({ kind: 'skip-step', step: plan.main[1], by: 'bob' });
  });

  it('still runs the step that sends all traffic to the new version', () => {
    const action = decide([
      ...startedFirst,
      { type: EVENT.operatorCommand, data: { command: 'promote', full: true }, actor: 'bob' },
      { type: EVENT.stepSkipped, data: ref('strategy[1]', 1), actor: 'bob' },
      { type: EVENT.stepSkipped, data: ref('strategy[2]', 2), actor: 'bob' },
    ]);
    expect(action).toMatchObject({ kind: 'run-step', step: { id: 'strategy[3]' } });
  });

  it('lets a plain promote run every step', () => {
    const action = decide([
      ...startedFirst,
      { type: EVENT.operatorCommand, data: { command: 'promote' }, actor: 'bob' },
    ]);
    expect(action).toMatchObject({ kind: 'run-step', step: { id: 'strategy[1]' } });
  });

  it('skips a step the promotion came during, when a crash left it without an outcome', () => {
    const action = decide([
      ...startedFirst,
      { type: EVENT.stepStarted, data: ref('strategy[1]', 1) },
      { type: EVENT.operatorCommand, data: { command: 'promote', full: true }, actor: 'bob' },
    ]);
    expect(action).toEqual({ kind: 'skip-step', step: plan.main[1], by: 'bob' });
  });

  it('leaves a skippable step that already succeeded as it was', () => {
    const action = decide([
      ...startedFirst,
      { type: EVENT.stepStarted, data: ref('strategy[1]', 1) },
      { type: EVENT.stepSucceeded, data: ref('strategy[1]', 1) },
      { type: EVENT.operatorCommand, data: { command: 'promote', full: true }, actor: 'bob' },
    ]);
    expect(action).toEqual({ kind: 'skip-step', step: plan.main[2], by: 'bob' });
  });
});
