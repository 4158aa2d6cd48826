import { describe, expect, it } from 'vitest';
import { parsePlan } from './load.js';

function problems(yaml: string): string[] {
  const loaded = parsePlan(yaml, 'plan.yaml');
  return loaded.ok ? [] : loaded.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
}

const V = (name: string) => `\${${name}}`;

/** A plan on the command target; `command` and `strategy` are YAML lines indented for their place. */
function commandPlan(command: string[], strategy: string[], extra = ''): string {
  return [
    'service: api',
    'target:',
    '  command:',
    ...command.map((line) => `    ${line}`),
    'strategy:',
    ...strategy.map((line) => `  ${line}`),
    extra,
  ].join('\n');
}

const START = `start: kubectl set image deployment/api-${V('color')} api=registry/api:${V('version')}`;

describe('what strategies need from a command target', () => {
  it('refuses a canary with partial weights and no setTraffic, pointing at the first partial weight', () => {
    expect(
      problems(
        commandPlan(
          [START, `switch: kubectl patch svc api ${V('to.color')}`],
          ['canary:', '  steps: [{ setWeight: 100 }, { wait: 1s }]'],
        ),
      ),
    ).toEqual([]);
    expect(
      problems(
        commandPlan(
          [START, `switch: kubectl patch svc api ${V('to.color')}`],
          ['canary:', '  steps:', '    - setWeight: 10'],
        ),
      ),
    ).toEqual([
      `9:20 setWeight 10 sends part of the traffic to the new version, so target.command needs \`setTraffic\`: a command that sets ${V('weight.new')} (e.g. kubectl annotate ingress api-canary nginx.ingress.kubernetes.io/canary-weight=${V('weight.new')} --overwrite)`,
    ]);
  });

  it('refuses a blue-green without switch or setTraffic, and a plan with both', () => {
    expect(problems(commandPlan([START], ['blueGreen: {}']))[0]).toMatch(
      /^3:3 blueGreen switches all traffic to the new version, so target.command needs `switch`/,
    );
    const both = [START, `setTraffic: x ${V('weight.new')}`, `switch: y ${V('to.color')}`];
    expect(problems(commandPlan(both, ['blueGreen: {}']))).toEqual([
      '3:3 define setTraffic or switch, not both: setTraffic sets every split (100/0 included); switch is for data planes that can only point all traffic at one slot',
    ]);
  });

  it('refuses a side-by-side start that names neither the slot nor the version', () => {
    const plan = commandPlan(
      ['start: kubectl rollout restart deployment/api', `switch: y ${V('to.color')}`],
      ['blueGreen: {}'],
    );
    expect(problems(plan)[0]).toMatch(
      /^4:12 the new version runs beside the previous one, so start must say which/,
    );
  });

  it('refuses the batch settings of rolling, which the platform does itself, and needs no traffic command', () => {
    const start = `start: kubectl set image deployment/api api=registry/api:${V('version')} && kubectl rollout status deployment/api`;
    expect(problems(commandPlan([start], ['rolling: {}']))).toEqual([]);
    expect(
      problems(commandPlan([start], ['rolling: { batchSize: 2, betweenBatches: [{ wait: 1s }] }'])),
    ).toEqual([
      '6:25 batchSize 2: the command target rolls out with one `start` command (kubectl set image … && kubectl rollout status …), and the platform replaces instances in batches itself (maxSurge, maxUnavailable): remove batchSize',
      '6:28 the command target rolls out with one `start` command, so there are no batches to run steps between: move them to `steps.after`',
    ]);
  });

  it('asks recreate for stop and for the maintenance page, unless the page is turned off', () => {
    const start = `start: systemctl start api@${V('version')}`;
    expect(problems(commandPlan([start], ['recreate: {}']))).toEqual([
      '3:3 recreate stops the previous version before starting the new one, so target.command needs `stop`',
      '3:3 recreate serves the maintenance page while it replaces the version, so target.command needs `maintenance`; or set strategy.recreate.maintenance: false',
    ]);
    expect(
      problems(commandPlan([start, 'stop: systemctl stop api'], ['recreate: { maintenance: false }'])),
    ).toEqual([]);
  });

  it('refuses header routing and canary-header checks without a headerRoute command', () => {
    const plan = commandPlan(
      [START, `setTraffic: x ${V('weight.new')}`],
      [
        'canary:',
        '  steps:',
        '    - headerRoute: true',
        '    - http: { url: "http://api/health", headers: { X-Gantry-Canary: "1" } }',
      ],
    );
    expect(problems(plan)).toEqual([
      `9:22 headerRoute: true needs target.command.headerRoute, a command that routes requests with ${V('canaryHeader')} to ${V('headerRoute.version')}`,
      '10:71 target.command has no headerRoute command, so requests with X-Gantry-Canary: "1" are not sent to the new version: define headerRoute, or check the new version at an address of its own',
    ]);
  });
});

describe('the variables of each command', () => {
  it('accepts each operation’s own variables and secrets', () => {
    const plan = commandPlan(
      [
        START,
        `setTraffic: istio ${V('weight.blue')} ${V('weight.green')} ${V('weight.new')} ${V('secrets.TOKEN')}`,
      ],
      ['canary: { steps: [{ setWeight: 10 }] }'],
      'secrets: { TOKEN: { env: TOKEN } }',
    );
    expect(problems(plan)).toEqual([]);
  });

  it('says which operation a misplaced variable belongs to', () => {
    const plan = commandPlan(
      [`${START} --replicas=${V('weight.new')}`, `setTraffic: x ${V('weight.new')}`],
      ['canary: { steps: [{ setWeight: 10 }] }'],
    );
    expect(problems(plan)).toEqual([
      `4:93 '${V('weight.new')}' is not available here: ${V('weight.new')} belongs to setTraffic, not start`,
    ]);
  });

  it('makes switch name the slot that gets the traffic, since a rollback switches back', () => {
    const plan = commandPlan(
      [START, `switch: kubectl patch service api deployment=api-${V('new.color')}`],
      ['blueGreen: {}'],
    );
    expect(problems(plan)[0]).toMatch(
      /^5:54 '\$\{new.color\}' is not available here: switch also runs when a rollback sends the traffic back, so it names the slot that gets the traffic: use \$\{to.color\}/,
    );
  });

  it('has no slots when the version is replaced in place', () => {
    const plan = commandPlan(
      [`start: kubectl set image deployment/api-${V('color')} api=x:${V('version')}`],
      ['rolling: {}'],
    );
    expect(problems(plan)).toEqual([
      `4:45 '${V('color')}' is not available here: rolling replaces the running version in place, so there are no slots: remove ${V('color')}`,
    ]);
  });
});

describe('builtin metrics by target', () => {
  it('sends command targets to Prometheus for every metric', () => {
    const plan = commandPlan(
      [START, `setTraffic: x ${V('weight.new')}`],
      ['canary: { steps: [{ setWeight: 10 }] }'],
      'rollback:\n  automatic: ["error_rate > 5% for 1m"]',
    );
    expect(problems(plan)).toEqual([
      '9:16 error_rate is measured by gantry-proxy or nginx, and a command target has no statistics of its own: declare error_rate under analysis.prometheus.metrics with a PromQL query (docs/targets.md has examples for Kubernetes)',
    ]);
  });

  const nginx = (extra: string, accessLog = '    accessLog: access.json\n') =>
    `service: api\ntarget:\n  nginx:\n    listen: 127.0.0.1:8080\n    config: gantry.conf\n${accessLog}    slots: { blue: { servers: ["127.0.0.1:3001"] }, green: { servers: ["127.0.0.1:3002"] } }\nstrategy:\n  canary: { steps: [{ setWeight: 10 }] }\n${extra}`;

  it('reads request metrics from the nginx access log, but not process metrics', () => {
    expect(
      problems(nginx('rollback:\n  automatic: ["error_rate > 5% for 1m", "p95_latency > 1s for 1m"]\n')),
    ).toEqual([]);
    expect(problems(nginx('rollback:\n  automatic: ["memory > 90% for 3m"]\n'))).toEqual([
      "11:16 nginx's access log has requests, not processes, so it has no memory: declare memory under analysis.prometheus.metrics with a PromQL query",
    ]);
    expect(problems(nginx('rollback:\n  automatic: ["error_rate > 5% for 1m"]\n', ''))).toEqual([
      "10:16 error_rate comes from nginx's access log: set target.nginx.accessLog, or declare error_rate under analysis.prometheus.metrics with a PromQL query",
    ]);
  });

  it('asks nginx for two slots unless the strategy is recreate', () => {
    const one =
      'service: api\ntarget:\n  nginx:\n    listen: "8080"\n    config: gantry.conf\n    slots: { main: { servers: ["127.0.0.1:3001"] } }\nstrategy:\n  blueGreen: {}\n';
    expect(problems(one)).toEqual([
      '6:5 blueGreen runs the new version beside the previous one, so nginx needs two slots (such as blue and green); one slot serves recreate only',
    ]);
    expect(problems(one.replace('blueGreen: {}', 'recreate: {}'))).toEqual([]);
  });
});
