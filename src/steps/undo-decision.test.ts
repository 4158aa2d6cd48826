import { describe, expect, it } from 'vitest';
import { EVENT } from '../deployment/events.js';
import { foldEvents } from '../deployment/state.js';
import { eventsFrom } from '../deployment/testing/events.js';
import type { MigrateDownSpec } from '../plan/migration-undo.js';
import type { PlannedStep } from '../plan/planned-step.js';
import { decideUndo } from './undo-decision.js';

type Spec = { type: string; data?: Record<string, unknown>; actor?: string };

const created: Spec = {
  type: EVENT.created,
  data: { service: 'shop', environment: 'production', version: '2', previousVersion: '1', planHash: 'h' },
  actor: 'alice',
};
const ref = (stepId: string, index: number, track = 'main') => ({ stepId, index, track });
const started = (stepId: string, index: number, track = 'main'): Spec => ({
  type: EVENT.stepStarted,
  data: { ...ref(stepId, index, track), kind: 'x', name: stepId, attempt: 1 },
});
const backupTaken = (verified: false | 'list'): Spec => ({
  type: EVENT.backupTaken,
  data: { ...ref('backup[0]', 0), backupId: 'd-1.db', name: 'db', verified, location: '/b/db.dump' },
});
const migrationRan = (outcome: 'succeeded' | 'failed', code = 'GANTRY_STEP_FAILED'): Spec[] => [
  started('steps[0]', 1),
  outcome === 'succeeded'
    ? { type: EVENT.stepSucceeded, data: ref('steps[0]', 1) }
    : { type: EVENT.stepFailed, data: { ...ref('steps[0]', 1), error: { code, message: 'exit 1' } } },
  { type: EVENT.rollbackStarted, data: { reason: 'x', trigger: 'step_failed', endStatus: 'rolled_back' } },
];
const undoStarted = started('rollback[0]', 0, 'rollback');

const spec = (irreversible: boolean): MigrateDownSpec => ({
  migration: 'steps[0]',
  migrate: {
    up: 'migrate up',
    ...(irreversible ? {} : { down: 'migrate down' }),
    irreversible,
    env: {},
    timeout: 1_000,
    idempotent: false,
  },
});
const restoreStep: PlannedStep = {
  id: 'rollback[1]',
  track: 'rollback',
  index: 1,
  section: 'rollback',
  kind: 'restore',
  name: 'restore',
  spec: { restore: { backup: 'db', stopTraffic: false, allowUnverified: false, timeout: 1 } },
};

function decide(events: Spec[], irreversible: boolean, laterRollback: PlannedStep[] = []) {
  const all = eventsFrom('d-1', [created, ...events]);
  const firstStartedAtEvent = all.findLast((e) => e.type === EVENT.stepStarted)?.index ?? 0;
  return decideUndo({
    state: foldEvents(all),
    spec: spec(irreversible),
    migration: undefined,
    laterRollback,
    firstStartedAtEvent,
  });
}

describe('undoing a migration on rollback', () => {
  it('runs the down command of a migration that was applied', () => {
    expect(decide([...migrationRan('succeeded'), undoStarted], false)).toEqual({ kind: 'run-down' });
  });

  it('does nothing for a migration that never ran or whose up command failed', () => {
    expect(decide([undoStarted], false).kind).toBe('nothing');
    expect(decide([...migrationRan('failed'), undoStarted], false).kind).toBe('nothing');
  });

  it('asks an operator when the up command was cut off, and runs the down once they retry', () => {
    const cutOff = migrationRan('failed', 'GANTRY_ABORTED');
    const asked = decide([...cutOff, undoStarted], false);
    expect(asked.kind).toBe('ask');
    expect(asked.kind === 'ask' && asked.reason).toContain('gantry resume d-1 --retry');
    const retry: Spec = { type: EVENT.operatorCommand, data: { command: 'retry' }, actor: 'bob' };
    expect(decide([...cutOff, undoStarted, retry], false)).toEqual({ kind: 'run-down' });
  });

  it('passes an irreversible migration when a later rollback step restores a verified backup taken before it', () => {
    const decision = decide([backupTaken('list'), ...migrationRan('succeeded'), undoStarted], true, [
      restoreStep,
    ]);
    expect(decision).toEqual({
      kind: 'covered',
      reason: 'rollback[1] restores backup db, verified and taken before steps[0]',
    });
  });

  it('stops for an operator on an irreversible migration with no verified backup, naming what to do', () => {
    const decision = decide([backupTaken(false), ...migrationRan('succeeded'), undoStarted], true, [
      restoreStep,
    ]);
    expect(decision.kind).toBe('ask');
    const reason = decision.kind === 'ask' ? decision.reason : '';
    expect(reason).toContain('is irreversible and no verified backup was taken before it');
    expect(reason).toContain('gantry backups --service shop');
    expect(reason).toContain('gantry resume d-1 --skip');
  });

  it('offers the verified backup when no rollback step restores it, and passes once it was restored', () => {
    const events = [backupTaken('list'), ...migrationRan('succeeded'), undoStarted];
    const asked = decide(events, true);
    expect(asked.kind === 'ask' && asked.reason).toContain('`gantry restore d-1.db`');
    const restored: Spec = {
      type: EVENT.backupRestored,
      data: { backupId: 'd-1.db', name: 'db', into: 'db:5432/shop', durationMs: 5 },
      actor: 'bob',
    };
    expect(decide([...events, restored], true)).toEqual({
      kind: 'covered',
      reason: 'backup d-1.db was restored by bob after steps[0] ran',
    });
  });
});
