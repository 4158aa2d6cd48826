import { describe, expect, it } from 'vitest';
import { expandPlan } from '../expand.js';
import { parsePlan } from '../load.js';
import type { PlannedStep } from '../planned-step.js';

function expand(strategyYaml: string, instances = 2) {
  const source = `service: shop
target:
  local: { run: node server.js, instances: ${instances}, listen: 127.0.0.1:8080 }
strategy:
${strategyYaml}
rollback:
  steps: [{ notify: team }]
notify: { channels: { team: { webhook: "http://127.0.0.1:1/hook" } } }
`;
  const parsed = parsePlan(source, 'plan.yaml');
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join('\n'));
  return expandPlan(parsed.plan);
}

/** id, kind and spec: what the engine runs. */
const shape = (steps: PlannedStep[]) => steps.map(({ id, kind, spec }) => ({ id, kind, spec }));

describe('canary expansion', () => {
  const plan = expand(`  canary:
    steps:
      - setWeight: 10
      - pause: { duration: 1m }
      - headerRoute: true
      - setWeight: 50`);

  it('starts the new version, runs the written steps and ends at 100% with the header route off', () => {
    expect(shape(plan.main).map((s) => [s.id, s.kind, s.spec])).toEqual([
      ['strategy[0]', 'startVersion', { startVersion: { instances: 2 } }],
      ['strategy[1]', 'setWeight', { setWeight: 10 }],
      ['strategy[2]', 'pause', { pause: { duration: 60_000 } }],
      ['strategy[3]', 'headerRoute', { headerRoute: true }],
      ['strategy[4]', 'setWeight', { setWeight: 50 }],
      ['strategy[5]', 'setWeight', { setWeight: 100 }],
      ['strategy[6]', 'headerRoute', { headerRoute: false }],
      ['cleanup[0]', 'stopVersion', { stopVersion: { version: 'previous', keepWarm: 0 } }],
    ]);
  });

  it('puts traffic back before the plan’s own rollback steps', () => {
    expect(shape(plan.rollback).map((s) => [s.id, s.kind])).toEqual([
      ['rollback[0]', 'restoreTraffic'],
      ['rollback[1]', 'stopVersion'],
      ['rollback[2]', 'notify'],
    ]);
    expect(plan.rollback[1]?.spec).toEqual({ stopVersion: { version: 'new' } });
  });

  it('lets promote --full skip only checks and lower weights', () => {
    const skipped = plan.main.filter((s) => s.skippedOnFullPromotion).map((s) => s.id);
    expect(skipped).toEqual(['strategy[1]', 'strategy[2]', 'strategy[3]', 'strategy[4]']);
  });

  it('adds no final weight when the written steps already end at 100%', () => {
    const ending = expand('  canary:\n    steps: [{ setWeight: 50 }, { setWeight: 100 }, { wait: 1m }]');
    expect(ending.main.filter((s) => s.kind === 'setWeight').map((s) => s.spec)).toEqual([
      { setWeight: 50 },
      { setWeight: 100 },
    ]);
  });
});

describe('blue-green expansion', () => {
  const plan = expand(`  blueGreen:
    prePromotion: [{ http: { url: "http://127.0.0.1:8080/health", headers: { X-Gantry-Canary: "1" } } }]
    keepPrevious: 2m`);

  it('previews the new version behind the header, checks it, switches, and keeps the previous warm', () => {
    expect(plan.main.map((s) => [s.kind, s.name])).toEqual([
      ['startVersion', 'start the new version with 2 instances (no traffic yet)'],
      ['headerRoute', 'open the preview: requests with X-Gantry-Canary: 1 go to the new version'],
      ['http', 'GET http://127.0.0.1:8080/health expecting 200'],
      ['setWeight', 'switch all traffic to the new version'],
      ['headerRoute', 'close the preview'],
      ['stopVersion', 'stop the previous version (kept warm 2m after the switch)'],
    ]);
    expect(plan.main.at(-1)?.spec).toEqual({ stopVersion: { version: 'previous', keepWarm: 120_000 } });
  });
});

describe('rolling expansion', () => {
  const moves = (yaml: string, instances: number) =>
    expand(yaml, instances)
      .main.filter((s) => s.kind === 'scaleVersion')
      .map((s) => {
        const { version, instances: n } = (s.spec as { scaleVersion: { version: string; instances: number } })
          .scaleVersion;
        return `${version}→${n}`;
      });

  it('starts each batch before stopping old instances, so all stay healthy by default', () => {
    expect(moves('  rolling: { batchSize: 1 }', 4)).toEqual([
      'new→1',
      'previous→3',
      'new→2',
      'previous→2',
      'new→3',
      'previous→1',
      'new→4',
      'previous→0',
    ]);
  });

  it('stops old instances first when minHealthy allows it', () => {
    expect(moves('  rolling: { batchSize: 2, minHealthy: 2 }', 4)).toEqual([
      'previous→2',
      'new→2',
      'previous→0',
      'new→4',
    ]);
  });

  it('runs the steps between batches but not after the last one', () => {
    const plan = expand('  rolling: { batchSize: 2, betweenBatches: [{ wait: 10s }] }', 4);
    expect(plan.main.map((s) => s.kind)).toEqual([
      'scaleVersion',
      'scaleVersion',
      'wait',
      'scaleVersion',
      'scaleVersion',
    ]);
  });
});

describe('recreate expansion', () => {
  const plan = expand(`  recreate:
    whileStopped: [{ run: ./migrate.sh }]
    checks: [{ http: { url: "http://127.0.0.1:8080/health", headers: { X-Gantry-Canary: "1" } } }]`);

  it('follows the maintenance-window runbook: page on, stop, migrate, start, check, page off', () => {
    expect(plan.main.map((s) => s.kind)).toEqual([
      'maintenance',
      'stopVersion',
      'run',
      'startVersion',
      'setWeight',
      'headerRoute',
      'http',
      'headerRoute',
      'maintenance',
    ]);
    expect(plan.main[1]?.spec).toEqual({ stopVersion: { version: 'previous', force: true } });
  });

  it('never skips the steps that run while stopped', () => {
    expect(plan.main.find((s) => s.kind === 'run')?.skippedOnFullPromotion).toBeUndefined();
  });

  it('rolls back the same way, towards the previous version', () => {
    expect(plan.rollback.map((s) => s.kind)).toEqual([
      'maintenance',
      'stopVersion',
      'restoreTraffic',
      'maintenance',
      'notify',
    ]);
  });

  it('without the maintenance page, replaces the version and nothing more', () => {
    const bare = expand('  recreate: { maintenance: false }');
    expect(bare.main.map((s) => s.kind)).toEqual(['stopVersion', 'startVersion', 'setWeight']);
  });
});
