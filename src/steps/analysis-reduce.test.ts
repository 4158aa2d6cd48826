import { describe, expect, it } from 'vitest';
import type { Decision } from '../analysis/decision.js';
import { EVENT } from '../deployment/events.js';
import { type DeploymentState, foldEvents, initialState, isPaused } from '../deployment/state.js';
import type { JournalEvent } from '../journal/journal.js';
import type { Target } from '../targets/target.js';
import { answerTo, openReduction, reduceTraffic } from './analysis-reduce.js';
import type { StepContext, WaitOptions } from './step.js';

const STEP = 'strategy[6]';

/** A journal in memory: record() folds each event into the state, as the engine's writer does. */
function journalled(log: string[], answer: { command: 'resume' | 'promote'; by: string }) {
  let state: DeploymentState = { ...initialState('d-1'), weightPct: 25, status: 'running' };
  const append = (type: string, data: Record<string, unknown>, actor: string | null = 'engine') => {
    const event = {
      seq: state.eventCount + 1,
      deploymentId: 'd-1',
      index: state.eventCount,
      at: new Date(Date.UTC(2026, 0, 1, 2, 0, state.eventCount)).toISOString(),
      type,
      actor,
      data,
      prevHash: '',
      hash: '',
    } satisfies JournalEvent;
    state = foldEvents([event], state);
  };
  const target = {
    setTraffic: async (shares: Record<string, number>) => void log.push(`traffic ${JSON.stringify(shares)}`),
  } as unknown as Target;
  const context = {
    deployment: {
      id: 'd-1',
      service: 'proofile',
      environment: 'production',
      version: 'v2',
      previousVersion: 'v1',
      requestedBy: 'alice',
    },
    step: {
      id: STEP,
      track: 'main',
      index: 6,
      section: 'strategy',
      kind: 'analysis',
      name: 'phase 2',
      spec: {},
    },
    firstStartedAtEvent: 0,
    services: { target },
    state: () => state,
    record: async (type: string, data: Record<string, unknown>) => append(type, { stepId: STEP, ...data }),
    log: () => {},
    async waitFor<T>(options: WaitOptions, check: (state: DeploymentState) => T | undefined) {
      log.push(`${options.status ?? 'waiting'} for ${options.waitingFor}`);
      expect(isPaused(state)).toBe(true);
      append(EVENT.operatorCommand, { command: answer.command }, answer.by);
      return check(state);
    },
  } as unknown as StepContext;
  return { context, state: () => state };
}

const decision: Decision = {
  tier: 'reduce',
  explanation: 'p95_latency of v2 was 1.5s > 1s for 15m',
  evidence: [],
};

describe('reducing traffic on degradation', () => {
  it('journals the decision with both weights first, then lowers the traffic, and pauses for a person', async () => {
    const log: string[] = [];
    const { context, state } = journalled(log, { command: 'resume', by: 'bob' });
    const reduction = await reduceTraffic(context, decision, 5);
    expect(reduction).toMatchObject({ stepId: STEP, fromPct: 25, toPct: 5 });
    expect(state().lastDecision?.tier).toBe('reduce');
    expect(state().lastDecision?.explanation).toBe(
      'p95_latency of v2 was 1.5s > 1s for 15m: 25% → 5% of the traffic until a person answers',
    );
    expect(log).toEqual(['traffic {"v1":95,"v2":5}']);
    expect(state().weightPct).toBe(5);
    expect(isPaused(state())).toBe(true);
  });

  it('puts the phase weight back when the person resumes, and says the phase restarts from then', async () => {
    const log: string[] = [];
    const { context, state } = journalled(log, { command: 'resume', by: 'bob' });
    const reduction = await reduceTraffic(context, decision, 5);
    const answer = await answerTo(context, reduction);
    expect(answer).toMatchObject({ command: 'resume', by: 'bob' });
    expect(answer.atMs).toBe(Date.parse(state().commands[0]?.at ?? ''));
    expect(log.slice(1)).toEqual([
      expect.stringMatching(
        /^paused for a person: traffic was reduced to 5% — `gantry resume d-1` retries this phase at 25%/,
      ),
      'traffic {"v1":75,"v2":25}',
    ]);
    expect(state().weightPct).toBe(25);
    expect(isPaused(state())).toBe(false);
  });

  it('leaves the traffic reduced when the person promotes instead', async () => {
    const log: string[] = [];
    const { context, state } = journalled(log, { command: 'promote', by: 'carol' });
    const answer = await answerTo(context, await reduceTraffic(context, decision, 5));
    expect(answer.command).toBe('promote');
    expect(state().weightPct).toBe(5);
    expect(log.filter((line) => line.startsWith('traffic'))).toEqual(['traffic {"v1":95,"v2":5}']);
  });

  it("finds this step's reduction again after a restart, and not another step's", async () => {
    const { context } = journalled([], { command: 'resume', by: 'bob' });
    await reduceTraffic(context, decision, 5);
    expect(openReduction(context)).toMatchObject({ fromPct: 25, toPct: 5 });
    const other = { ...context, step: { ...context.step, id: 'strategy[2]' } } as StepContext;
    expect(openReduction(other)).toBeUndefined();
  });
});
