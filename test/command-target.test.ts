// The command target through the real engine, with real child processes. kubectl here is a FAKE
// (test/support/fake-kubectl.mjs, put first on the commands' PATH) because a Kubernetes API server cannot
// run here: it records every argv and keeps the "cluster" in a JSON file, answering `get` from it. A canary
// and a blue-green plan take traffic to 100% on a healthy version; a failing check rolls the traffic back,
// and the fake's recorded calls show the restore.

import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldEvents } from '../src/deployment/state.js';
import { createDeployment } from '../src/engine/create.js';
import { Engine } from '../src/engine/engine.js';
import type { Journal } from '../src/journal/journal.js';
import { type Workspace, workspace } from './support/workspace.js';

const FAKE_KUBECTL = join(import.meta.dirname, 'support', 'fake-kubectl.mjs');
const V = (name: string) => `\${${name}}`;
const TOKEN = 'kube-token-9f8e7d6c5b';

let ws: Workspace;
let journal: Journal;
let kube: string;
let logs: string[];

beforeEach(async () => {
  ws = workspace('gantry-command-');
  journal = await ws.openJournal();
  kube = join(ws.dir, 'kube');
  mkdirSync(join(kube, 'bin'), { recursive: true });
  copyFileSync(FAKE_KUBECTL, join(kube, 'bin', 'kubectl'));
  chmodSync(join(kube, 'bin', 'kubectl'), 0o755);
  logs = [];
});

afterEach(async () => {
  await journal.close();
  ws.remove();
});

/** The plan's commands find the fake first; the state file lives beside it. */
function environment(): string {
  return `    env: { PATH: "${join(kube, 'bin')}:${process.env.PATH}", FAKE_KUBE_DIR: "${kube}" }`;
}

async function deploy(plan: string, version: string): Promise<{ id: string; status: string }> {
  const planPath = ws.writePlan('plan.yaml', plan);
  const { deployment } = await createDeployment(journal, {
    planPath,
    version,
    requestedBy: 'tester',
    env: { KUBE_TOKEN: TOKEN },
  });
  const engine = new Engine({
    journal,
    home: ws.home,
    pollMs: 20,
    env: { KUBE_TOKEN: TOKEN },
    logFor: () => (line) => logs.push(line),
  });
  try {
    return { id: deployment.id, status: await engine.drive(deployment.id) };
  } finally {
    await engine.close();
  }
}

function cluster() {
  return JSON.parse(readFileSync(join(kube, 'state.json'), 'utf8'));
}

/** The fake's calls since `from`, as command lines. */
function calls(from = 0): string[] {
  return readFileSync(join(kube, 'calls.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(from)
    .map((line) => (JSON.parse(line) as string[]).join(' '));
}

const SMOKE = `{ name: smoke test, run: 'test "${V('version')}" != "v3-broken"' }`;

const ISTIO_WEIGHTS = `'{"spec":{"http":[{"route":[{"destination":{"host":"api-blue"},"weight":${V('weight.blue')}},{"destination":{"host":"api-green"},"weight":${V('weight.green')}}]}]}}'`;

describe('a canary on Kubernetes through the command target', () => {
  const plan = `service: api
environment: test
secrets: { KUBE_TOKEN: { env: KUBE_TOKEN } }
target:
  command:
    instances: 2
    start: kubectl set image deployment/api-${V('color')} api=registry.example/api:${V('version')} --token=${V('secrets.KUBE_TOKEN')} && kubectl scale deployment/api-${V('color')} --replicas=${V('instances')} && kubectl rollout status deployment/api-${V('color')} --timeout=10m
    setTraffic: kubectl patch virtualservice api --type merge -p ${ISTIO_WEIGHTS}
    stop: kubectl scale deployment/api-${V('color')} --replicas=0
__ENV__
strategy:
  canary:
    steps:
      - setWeight: 10
      - ${SMOKE}
      - setWeight: 50
      - setWeight: 100
`;
  const withEnv = () => plan.replace('__ENV__', environment());
  const weights = () =>
    cluster().virtualservice.api.spec.http[0].route.map(
      (r: { destination: { host: string }; weight: number }) => `${r.destination.host}=${r.weight}`,
    );

  it('takes a healthy version to 100% in steps and scales the previous slot to zero', async () => {
    expect(await deploy(withEnv(), 'v1')).toMatchObject({ status: 'succeeded' });
    expect(weights()).toEqual(['api-blue=100', 'api-green=0']);
    const before = calls().length;
    expect(await deploy(withEnv(), 'v2')).toMatchObject({ status: 'succeeded' });
    const made = calls(before);
    expect(
      made
        .filter((call) => call.startsWith('patch'))
        .map((call) =>
          call
            .match(/"weight":(\d+).*"weight":(\d+)/)
            ?.slice(1)
            .join('/'),
        ),
    ).toEqual(['90/10', '50/50', '0/100']);
    expect(made.at(-1)).toBe('scale deployment/api-blue --replicas=0');
    expect(cluster().deployment['api-green']).toEqual({
      replicas: 2,
      containers: { api: 'registry.example/api:v2' },
    });
    expect(weights()).toEqual(['api-blue=0', 'api-green=100']);
    expect(logs.join('\n')).toContain('--token=[redacted:KUBE_TOKEN]');
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('puts all traffic back on the previous version when a check fails, and scales the new one to zero', async () => {
    await deploy(withEnv(), 'v1');
    await deploy(withEnv(), 'v2');
    const before = calls().length;
    const { id, status } = await deploy(withEnv(), 'v3-broken');
    expect(status).toBe('rolled_back');
    const made = calls(before);
    expect(made.filter((call) => !call.startsWith('set') && !call.startsWith('rollout'))).toEqual([
      'scale deployment/api-blue --replicas=2',
      expect.stringMatching(
        /^patch virtualservice api .*"api-blue"\},"weight":10\}.*"api-green"\},"weight":90\}/,
      ),
      expect.stringMatching(
        /^patch virtualservice api .*"api-blue"\},"weight":0\}.*"api-green"\},"weight":100\}/,
      ),
      'scale deployment/api-blue --replicas=0',
    ]);
    expect(weights()).toEqual(['api-blue=0', 'api-green=100']);
    const state = foldEvents(await journal.readEvents(id));
    expect(state.rollback?.reason).toContain('smoke test');
  });
});

describe('a blue-green switch by Service selector (runbook 002)', () => {
  const plan = (after: string) => `service: architect-api
environment: test
target:
  command:
    start: kubectl set image deployment/architect-api-${V('color')} api=registry.example/architect-api:${V('version')} && kubectl rollout status deployment/architect-api-${V('color')}
    switch: kubectl patch service architect-api -p '{"spec":{"selector":{"deployment":"architect-api-${V('to.color')}"}}}'
    headerRoute: kubectl patch service architect-api-preview -p '{"spec":{"selector":{"deployment":"architect-api-${V('headerRoute.color')}"}}}'
    stop: kubectl scale deployment/architect-api-${V('color')} --replicas=0
${environment()}
strategy:
  blueGreen:
    prePromotion:
      - run: kubectl get service architect-api-preview
${environment().replace('    env:', '        env:')}
    keepPrevious: 0s
steps:
  before: []
  after:
${after}
`;
  const selector = () => cluster().service['architect-api'].spec.selector.deployment;

  it('switches the selector to the new slot, and back to the previous one when a check after the switch fails', async () => {
    const afterSmoke = `    - ${SMOKE}`;
    expect(await deploy(plan(afterSmoke), 'v1')).toMatchObject({ status: 'succeeded' });
    expect(await deploy(plan(afterSmoke), 'v2')).toMatchObject({ status: 'succeeded' });
    expect(selector()).toBe('architect-api-green');
    const before = calls().length;
    expect(await deploy(plan(afterSmoke), 'v3-broken')).toMatchObject({ status: 'rolled_back' });
    expect(calls(before).filter((call) => call.startsWith('patch service architect-api '))).toEqual([
      `patch service architect-api -p {"spec":{"selector":{"deployment":"architect-api-blue"}}}`,
      `patch service architect-api -p {"spec":{"selector":{"deployment":"architect-api-green"}}}`,
    ]);
    expect(selector()).toBe('architect-api-green');
    expect(cluster().deployment['architect-api-blue'].replicas).toBe(0);
  });
});

describe('a failing command', () => {
  it('fails its step with the command’s redacted output in the journal, then rolls back', async () => {
    const plan = `service: api
environment: test
secrets: { KUBE_TOKEN: { env: KUBE_TOKEN } }
target:
  command:
    start: echo "connecting with ${V('secrets.KUBE_TOKEN')}" >&2; kubectl rollout status deployment/missing-${V('color')}
    switch: kubectl patch service api -p '{"spec":{"selector":{"color":"${V('to.color')}"}}}'
${environment()}
strategy:
  blueGreen: {}
`;
    const { id, status } = await deploy(plan, 'v1');
    expect(status).toBe('rolled_back');
    const state = foldEvents(await journal.readEvents(id));
    expect(state.steps['strategy[0]']?.error).toEqual({
      code: 'GANTRY_TARGET',
      message:
        'target.command.start: start v1 in blue with 1 instance: the command exited with code 1:\nconnecting with [redacted:KUBE_TOKEN]\nError from server (NotFound): deployments.apps "missing-blue" not found',
    });
    expect(JSON.stringify(await journal.readEvents(id))).not.toContain(TOKEN);
  });
});
