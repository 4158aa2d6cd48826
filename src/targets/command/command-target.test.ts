import { describe, expect, it } from 'vitest';
import { commandTarget as commandSchema } from '../../plan/schema/command-target.js';
import type { DeploymentInfo } from '../../steps/step.js';
import type { AppliedState } from '../applied-state.js';
import type { CommandOutcome, ShellCommand } from '../shell-command.js';
import { CommandTarget } from './command-target.js';
import { memoryStateStore } from './record-file.js';

const V = (name: string) => `\${${name}}`;

const BLUE_GREEN = {
  start: `start ${V('version')} in ${V('color')} x${V('instances')}`,
  stop: `stop ${V('color')}`,
  switch: `switch to ${V('to.color')} from ${V('from.color')}`,
  headerRoute: `preview ${V('headerRoute.enabled')} ${V('headerRoute.color')}`,
};

function info(version: string, previousVersion: string | null): DeploymentInfo {
  return {
    id: 'd-1',
    service: 'api',
    environment: 'production',
    version,
    previousVersion,
    requestedBy: 'ada',
  };
}

/** Records the script of every command; answers with `answer` (exit 0, no output by default). */
function recorder(answer: (script: string) => CommandOutcome = () => ({ exitCode: 0, output: '' })) {
  const calls: string[] = [];
  const run = async (command: ShellCommand) => {
    const script = command.argv[2] as string;
    calls.push(script);
    return answer(script);
  };
  return { calls, run };
}

function target(
  config: Record<string, unknown>,
  deployment: DeploymentInfo,
  options: {
    sideBySide?: boolean;
    store?: ReturnType<typeof memoryStateStore>;
    runner?: ReturnType<typeof recorder>;
  } = {},
) {
  const store = options.store ?? memoryStateStore();
  const runner = options.runner ?? recorder();
  const logged: string[] = [];
  const built = new CommandTarget({
    config: commandSchema.parse(config),
    info: deployment,
    sideBySide: options.sideBySide ?? true,
    store,
    run: runner.run,
    settings: { secrets: new Map(), env: {}, cwd: '/tmp', timeoutMs: 1000 },
    log: (line) => logged.push(line),
  });
  return { target: built, store, calls: runner.calls, logged };
}

describe('the command target, versions side by side', () => {
  it('starts a first version in blue, the next in green, switches, and stops the previous slot', async () => {
    const store = memoryStateStore();
    const first = target(BLUE_GREEN, info('v1', null), { store });
    await first.target.ensureVersion('v1', 2);
    await first.target.setTraffic({ v1: 100 });
    const second = target(BLUE_GREEN, info('v2', 'v1'), { store });
    await second.target.ensureVersion('v2', 2);
    await second.target.setHeaderRoute('v2');
    await second.target.setTraffic({ v1: 0, v2: 100 });
    await second.target.setHeaderRoute(null);
    await second.target.stopVersion('v1');
    expect([...first.calls, ...second.calls]).toEqual([
      'start v1 in blue x2',
      'switch to blue from ',
      'start v2 in green x2',
      'preview true green',
      'switch to green from blue',
      'preview false ',
      'stop blue',
    ]);
    expect((await second.target.describe()).versions).toEqual([
      { version: 'v2', status: 'running', instances: 2, healthyInstances: 2, trafficPct: 100 },
    ]);
  });

  it('runs nothing again for an end state already recorded, so a repeated step converges', async () => {
    const { target: t, calls } = target(BLUE_GREEN, info('v1', null));
    await t.ensureVersion('v1', 2);
    await t.ensureVersion('v1', 2);
    await t.setTraffic({ v1: 100 });
    await t.setTraffic({ v1: 100 });
    await t.setHeaderRoute(null);
    expect(calls).toEqual(['start v1 in blue x2', 'switch to blue from ']);
  });

  it('records a failed start and starts it again on the next try, failing the step with the output', async () => {
    let broken = true;
    const runner = recorder((script) =>
      broken && script.startsWith('start')
        ? { exitCode: 1, output: 'error: deployment "api-blue" not found\n' }
        : { exitCode: 0, output: '' },
    );
    const store = memoryStateStore();
    const { target: t } = target(BLUE_GREEN, info('v1', null), { store, runner });
    await expect(t.ensureVersion('v1', 2)).rejects.toMatchObject({
      code: 'GANTRY_TARGET',
      where: 'target.command.start',
      message:
        'target.command.start: start v1 in blue with 2 instances: the command exited with code 1:\nerror: deployment "api-blue" not found',
    });
    expect(store.current()?.versions).toMatchObject([{ version: 'v1', slot: 'blue', status: 'failed' }]);
    broken = false;
    await t.ensureVersion('v1', 2);
    expect(runner.calls).toEqual(['start v1 in blue x2', 'start v1 in blue x2']);
    expect(store.current()?.versions).toMatchObject([{ version: 'v1', status: 'running' }]);
  });

  it('rolls back by switching to the previous slot and stopping the new one', async () => {
    const state: AppliedState = {
      versions: [
        { version: 'v1', slot: 'blue', instances: 2, status: 'running' },
        { version: 'v2', slot: 'green', instances: 2, status: 'running' },
      ],
      weights: { v2: 100 },
      headerRoute: null,
      maintenance: { enabled: false },
    };
    const { target: t, calls } = target(BLUE_GREEN, info('v2', 'v1'), { store: memoryStateStore(state) });
    await t.ensureVersion('v1', 2, { asRunning: true });
    await t.setTraffic({ v1: 100, v2: 0 });
    await t.stopVersion('v2');
    expect(calls).toEqual(['switch to blue from green', 'stop green']);
  });

  it('never stops a version that still gets traffic unless forced', async () => {
    const { target: t } = target(BLUE_GREEN, info('v1', null));
    await t.ensureVersion('v1', 1);
    await t.setTraffic({ v1: 100 });
    await expect(t.stopVersion('v1')).rejects.toThrow(
      'cannot stop v1 of api (production): it still gets 100% of the traffic',
    );
  });

  it('refuses to guess the slot of the version serving now when its record is gone', async () => {
    const { target: t, calls } = target(BLUE_GREEN, info('v2', 'v1'));
    await expect(t.ensureVersion('v2', 2)).rejects.toThrow(
      "cannot choose a slot for v2 of api (production): Gantry's record does not say which of blue and green runs v1, the version serving now",
    );
    expect(calls).toEqual([]);
  });

  it('believes the describe command over its record, taking colors and weights from it', async () => {
    const live = JSON.stringify({
      versions: [{ version: 'v1', color: 'green', instances: 3, trafficPct: 100 }],
    });
    const runner = recorder((script) =>
      script === 'describe' ? { exitCode: 0, output: live } : { exitCode: 0, output: '' },
    );
    const { target: t, calls } = target({ ...BLUE_GREEN, describe: 'describe' }, info('v2', 'v1'), {
      runner,
    });
    await t.ensureVersion('v2', 3);
    expect(calls).toEqual(['describe', 'start v2 in blue x3']);
  });
});

describe('the command target, in place (rolling, recreate)', () => {
  const IN_PLACE = {
    start: `kubectl set image deployment/api api=registry/api:${V('version')} && kubectl rollout status deployment/api`,
    stop: 'kubectl scale deployment/api --replicas=0',
  };

  it('takes the version serving before as the one in place, and a rollback rolls it out again', async () => {
    const { target: t, calls, store } = target(IN_PLACE, info('v2', 'v1'), { sideBySide: false });
    await t.ensureVersion('v2', 3);
    expect((await t.describe()).versions).toEqual([
      { version: 'v2', status: 'running', instances: 3, healthyInstances: 3, trafficPct: 100 },
    ]);
    await t.ensureVersion('v1', 3, { asRunning: true });
    await t.setTraffic({ v1: 100, v2: 0 });
    await t.stopVersion('v2');
    expect(calls).toEqual([
      'kubectl set image deployment/api api=registry/api:v2 && kubectl rollout status deployment/api',
      'kubectl set image deployment/api api=registry/api:v1 && kubectl rollout status deployment/api',
    ]);
    expect(store.current()?.weights).toEqual({ v1: 100 });
  });

  it('knows a version cut off half-way through its rollout is not the one running, so the rollback rolls back', async () => {
    const runner = recorder((script) =>
      script.includes(':v2')
        ? { exitCode: 1, output: 'timed out waiting for the condition' }
        : { exitCode: 0, output: '' },
    );
    const { target: t, calls } = target(IN_PLACE, info('v2', 'v1'), { sideBySide: false, runner });
    await expect(t.ensureVersion('v2', 3)).rejects.toThrow('timed out waiting for the condition');
    await t.ensureVersion('v1', 3, { asRunning: true });
    expect(calls).toHaveLength(2);
    expect(calls[1]).toContain(':v1');
  });
});
