import { describe, expect, it } from 'vitest';
import { EVENT } from '../deployment/events.js';
import { foldEvents } from '../deployment/state.js';
import { eventsFrom } from '../deployment/testing/events.js';
import type { ExpandedPlan, PlannedStep } from '../plan/planned-step.js';
import { nextAction } from './next-action.js';

const step = (
  id: string,
  section: PlannedStep['section'],
  index: number,
  track: 'main' | 'rollback' = 'main',
): PlannedStep => ({
  id,
  section,
  index,
  track,
  kind: 'run',
  name: id,
  spec: { run: 'true', idempotent: false },
});

const plan: ExpandedPlan = {
  main: [step('preflight[0]', 'preflight', 0), step('steps[0]', 'steps', 1), step('steps[1]', 'steps', 2)],
  rollback: [step('rollback[0]', 'rollback', 0, 'rollback')],
  hash: 'h',
};

const created = {
  type: EVENT.created,
  data: { service: 's', environment: 'e', version: '2', previousVersion: '1', planHash: 'h' },
  actor: 'alice',
};
const ref = (id: string, index: number, track = 'main') => ({ stepId: id, index, track });

function decide(events: Array<{ type: string; data?: Record<string, unknown>; actor?: string }>) {
  return nextAction(foldEvents(eventsFrom('d-1', [created, ...events])), plan);
}

describe('nextAction', () => {
  it('runs the first step of a new deployment', () => {
    expect(decide([])).toMatchObject({ kind: 'run-step', step: { id: 'preflight[0]' } });
  });

  it('moves to the next step after a success', () => {
    expect(
      decide([
        { type: EVENT.stepStarted, data: ref('preflight[0]', 0) },
        { type: EVENT.stepSucceeded, data: ref('preflight[0]', 0) },
      ]),
    ).toMatchObject({
      kind: 'run-step',
      step: { id: 'steps[0]' },
    });
  });

  it('fails without rollback when a gate fails, since nothing changed', () => {
    const action = decide([
      { type: EVENT.stepStarted, data: ref('preflight[0]', 0) },
      {
        type: EVENT.stepFailed,
        data: { ...ref('preflight[0]', 0), error: { code: 'X', message: 'audit found 2 high' } },
      },
    ]);
    expect(action).toMatchObject({ kind: 'finish', status: 'failed' });
    if (action.kind === 'finish') expect(action.reason).toContain('audit found 2 high');
  });

  it('starts the rollback when a main step fails after something changed', () => {
    const action = decide([
      { type: EVENT.stepStarted, data: ref('preflight[0]', 0) },
      { type: EVENT.stepSucceeded, data: ref('preflight[0]', 0) },
      { type: EVENT.stepStarted, data: ref('steps[0]', 1) },
      { type: EVENT.stepFailed, data: { ...ref('steps[0]', 1), error: { code: 'X', message: 'boom' } } },
    ]);
    expect(action).toMatchObject({
      kind: 'start-rollback',
      trigger: 'step_failed',
      endStatus: 'rolled_back',
    });
  });

  it('schedules a retry instead of failing while retries remain', () => {
    const action = decide([
      { type: EVENT.stepStarted, data: ref('preflight[0]', 0) },
      {
        type: EVENT.stepFailed,
        data: {
          ...ref('preflight[0]', 0),
          error: { code: 'X', message: 'flaky' },
          retryAt: '2026-01-01T12:00:10.000Z',
        },
      },
    ]);
    expect(action).toMatchObject({ kind: 'run-step', step: { id: 'preflight[0]' } });
    if (action.kind === 'run-step') expect(action.retryAt?.toISOString()).toBe('2026-01-01T12:00:10.000Z');
  });

  it('ends aborted without rollback when aborted during the gates', () => {
    expect(decide([{ type: EVENT.operatorCommand, data: { command: 'abort' }, actor: 'bob' }])).toMatchObject(
      { kind: 'finish', status: 'aborted' },
    );
  });

  it('rolls back an abort that arrives after a change, ending aborted', () => {
    const action = decide([
      { type: EVENT.stepStarted, data: ref('preflight[0]', 0) },
      { type: EVENT.stepSucceeded, data: ref('preflight[0]', 0) },
      { type: EVENT.stepStarted, data: ref('steps[0]', 1) },
      { type: EVENT.operatorCommand, data: { command: 'abort' }, actor: 'bob' },
    ]);
    expect(action).toMatchObject({
      kind: 'start-rollback',
      trigger: 'abort',
      endStatus: 'aborted',
      by: 'bob',
    });
  });

  it('runs rollback steps and ends rolled_back, or failed when one failed', () => {
    const base = [
      { type: EVENT.stepStarted, data: ref('steps[0]', 1) },
      {
        type: EVENT.rollbackStarted,
        data: { reason: 'boom', trigger: 'step_failed', endStatus: 'rolled_back' },
      },
    ];
    expect(decide(base)).toMatchObject({ kind: 'run-step', step: { id: 'rollback[0]' } });
    expect(
      decide([
        ...base,
        { type: EVENT.stepStarted, data: ref('rollback[0]', 0, 'rollback') },
        { type: EVENT.stepSucceeded, data: ref('rollback[0]', 0, 'rollback') },
      ]),
    ).toMatchObject({
      kind: 'finish',
      status: 'rolled_back',
    });
    expect(
      decide([
        ...base,
        { type: EVENT.stepStarted, data: ref('rollback[0]', 0, 'rollback') },
        {
          type: EVENT.stepFailed,
          data: { ...ref('rollback[0]', 0, 'rollback'), error: { code: 'X', message: 'no' } },
        },
      ]),
    ).toMatchObject({ kind: 'finish', status: 'failed' });
  });

  it('waits for an operator while interrupted, then retries or skips as told', () => {
    const interrupted = [
      { type: EVENT.stepStarted, data: ref('steps[0]', 1) },
      { type: EVENT.stepInterrupted, data: ref('steps[0]', 1) },
      { type: EVENT.statusChanged, data: { from: 'running', to: 'interrupted', reason: 'cut off' } },
    ];
    expect(decide(interrupted)).toMatchObject({ kind: 'wait-operator', status: 'interrupted' });
    expect(
      decide([...interrupted, { type: EVENT.operatorCommand, data: { command: 'retry' }, actor: 'bob' }]),
    ).toMatchObject({ kind: 'run-step', step: { id: 'steps[0]' } });
    expect(
      decide([...interrupted, { type: EVENT.operatorCommand, data: { command: 'skip' }, actor: 'bob' }]),
    ).toMatchObject({ kind: 'skip-step', by: 'bob' });
  });

  it('never runs an interrupted step again unasked, even when its engine died before setting the status', () => {
    // The step was marked interrupted, but the status stayed `running` (or went back to it before the skip
    // was recorded): only an operator's answer given after the step's start decides.
    const marked = [
      { type: EVENT.stepStarted, data: ref('preflight[0]', 0) },
      { type: EVENT.stepSucceeded, data: ref('preflight[0]', 0) },
      { type: EVENT.stepStarted, data: ref('steps[0]', 1) },
      { type: EVENT.stepInterrupted, data: ref('steps[0]', 1) },
    ];
    expect(decide(marked)).toMatchObject({ kind: 'wait-operator', status: 'interrupted' });
    const answered = (command: string) => [
      ...marked,
      { type: EVENT.statusChanged, data: { from: 'running', to: 'interrupted', reason: 'cut off' } },
      { type: EVENT.operatorCommand, data: { command }, actor: 'bob' },
      { type: EVENT.statusChanged, data: { from: 'interrupted', to: 'running', reason: 'continuing' } },
    ];
    expect(decide(answered('skip'))).toMatchObject({
      kind: 'skip-step',
      step: { id: 'steps[0]' },
      by: 'bob',
    });
    expect(decide(answered('retry'))).toMatchObject({ kind: 'run-step', step: { id: 'steps[0]' } });
  });

  it('holds while paused by an operator until resumed', () => {
    const paused = [{ type: EVENT.operatorCommand, data: { command: 'pause' }, actor: 'bob' }];
    expect(decide(paused)).toMatchObject({ kind: 'wait-operator', status: 'paused' });
    expect(
      decide([...paused, { type: EVENT.operatorCommand, data: { command: 'resume' }, actor: 'bob' }]),
    ).toMatchObject({ kind: 'run-step' });
  });

  it('starts a rollback when an analysis rule decides rollback', () => {
    const action = decide([
      { type: EVENT.stepStarted, data: ref('steps[0]', 1) },
      {
        type: EVENT.decision,
        data: { tier: 'rollback', explanation: 'error_rate of 2 was 21% > 5% for 2s' },
      },
    ]);
    expect(action).toMatchObject({
      kind: 'start-rollback',
      trigger: 'rule',
      reason: 'error_rate of 2 was 21% > 5% for 2s',
    });
  });

  it('succeeds after the last main step', () => {
    const done = ['preflight[0]', 'steps[0]', 'steps[1]'].flatMap((id, index) => [
      { type: EVENT.stepStarted, data: ref(id, index) },
      { type: EVENT.stepSucceeded, data: ref(id, index) },
    ]);
    expect(decide(done)).toMatchObject({ kind: 'finish', status: 'succeeded' });
  });
});
