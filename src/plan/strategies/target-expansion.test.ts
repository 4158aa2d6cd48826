import { describe, expect, it } from 'vitest';
import { expandPlan } from '../expand.js';
import { parsePlan } from '../load.js';

const V = (name: string) => `\${${name}}`;

function expand(target: string, strategy: string) {
  const parsed = parsePlan(`service: api\ntarget:\n${target}\nstrategy:\n${strategy}\n`, 'plan.yaml');
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join('\n'));
  return expandPlan(parsed.plan);
}

const KUBE_SWITCH = `  command:
    instances: 3
    start: kubectl set image deployment/api-${V('color')} api=r/api:${V('version')}
    switch: kubectl patch service api -p '{"spec":{"selector":{"deployment":"api-${V('to.color')}"}}}'`;

describe('strategies on a command target', () => {
  it('expands blueGreen without preview steps when the target cannot route by header', () => {
    const plan = expand(KUBE_SWITCH, '  blueGreen: { prePromotion: [{ run: ./smoke.sh }] }');
    expect(plan.main.map((s) => [s.kind, s.name])).toEqual([
      ['startVersion', 'start the new version with 3 instances (no traffic yet)'],
      ['run', 'run `./smoke.sh`'],
      ['setWeight', 'switch all traffic to the new version'],
      ['stopVersion', 'stop the previous version (kept warm 5m after the switch)'],
    ]);
  });

  it('keeps the preview when the plan has a headerRoute command', () => {
    const withPreview = `${KUBE_SWITCH}\n    headerRoute: kubectl patch service api-preview -p '{"spec":{"selector":{"deployment":"api-${V('headerRoute.color')}"}}}'`;
    const plan = expand(withPreview, '  blueGreen: {}');
    expect(plan.main.map((s) => s.kind)).toEqual([
      'startVersion',
      'headerRoute',
      'setWeight',
      'headerRoute',
      'stopVersion',
    ]);
  });

  it('rolls out in place with one start, and rolls back by rolling the previous version out', () => {
    const plan = expand(
      `  command:\n    instances: 4\n    start: kubectl set image deployment/api api=r/api:${V('version')} && kubectl rollout status deployment/api`,
      '  rolling: {}',
    );
    expect(plan.main.map((s) => [s.kind, s.name, s.spec])).toEqual([
      [
        'startVersion',
        "roll out the new version in place with 4 instances (the target's start command)",
        { startVersion: { instances: 4 } },
      ],
    ]);
    expect(plan.rollback.map((s) => s.kind)).toEqual(['restoreTraffic']);
  });

  it('checks a recreate without the header route steps it cannot take', () => {
    const plan = expand(
      `  command:\n    start: systemctl start api@${V('version')}\n    stop: systemctl stop 'api@*'\n    maintenance: ./page.sh ${V('maintenance.enabled')}`,
      '  recreate: { checks: [{ http: { url: "http://api.internal/health" } }] }',
    );
    expect(plan.main.map((s) => s.kind)).toEqual([
      'maintenance',
      'stopVersion',
      'startVersion',
      'setWeight',
      'http',
      'maintenance',
    ]);
  });
});

describe('strategies on an nginx target', () => {
  const NGINX = `  nginx:
    listen: "8080"
    config: gantry.conf
    slots:
      blue: { servers: ["10.0.0.1:3000", "10.0.0.2:3000"] }
      green: { servers: ["10.0.0.3:3000", "10.0.0.4:3000"] }`;

  it('rolls the servers of the other slot in a batch at a time, traffic following the counts', () => {
    const plan = expand(NGINX, '  rolling: { batchSize: 1 }');
    const moves = plan.main.map((s) => {
      const { version, instances } = (s.spec as { scaleVersion: { version: string; instances: number } })
        .scaleVersion;
      return `${version}→${instances}`;
    });
    expect(moves).toEqual(['new→1', 'previous→1', 'new→2', 'previous→0']);
  });

  it('starts as many instances as a slot has servers', () => {
    expect(expand(NGINX, '  canary: { steps: [{ setWeight: 10 }] }').main[0]?.spec).toEqual({
      startVersion: { instances: 2 },
    });
  });
});
