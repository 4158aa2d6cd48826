// The server's API end to end over HTTP, with its engine driving deployments: approvals (never the
// requester, once per person, recording what was seen), tokens that expire or are revoked, rate-limited
// sign-ins, live event streams and /metrics.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT } from '../src/deployment/events.js';
import { FailureLimiter } from '../src/server/rate-limit.js';
import { issueToken } from '../src/server/tokens.js';
import { waitFor } from './support/cli.js';
import { type TestServer, testServer } from './support/gantry-server.js';

let t: TestServer;

const PLAN = `
service: shop-api
environment: production
checklist: [Rollback plan reviewed]
approvals: [{ role: release-manager, count: 2 }]
steps:
  - { name: ship it, run: "true" }
  - { name: settle, wait: 50ms }
`;

async function deploy(token: string, plan = PLAN): Promise<string> {
  const path = t.ws.writePlan('plan.yaml', plan);
  const response = await t.request(token, 'POST', '/api/deployments', {
    plan: { path, source: plan },
    version: '2.0.0',
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { deployment: { id: string } }).deployment.id;
}

async function statusOf(token: string, id: string): Promise<string> {
  const events = (await (await t.request(token, 'GET', `/api/deployments/${id}/events`)).json()) as Array<{
    type: string;
    data: { to?: string };
  }>;
  return events.filter((e) => e.type === EVENT.statusChanged).at(-1)?.data.to ?? 'pending';
}

describe('the server API', () => {
  beforeEach(async () => {
    t = await testServer();
  });
  afterEach(async () => {
    await t.close();
  });

  it('drives a deployment created over HTTP; approvals never come from the requester and count each person once', async () => {
    const dana = await t.user('dana', ['deployer', 'release-manager']);
    const erin = await t.user('erin', ['release-manager']);
    const finn = await t.user('finn', ['release-manager']);
    const id = await deploy(dana);
    await waitFor(
      async () => ((await statusOf(dana, id)) === 'waiting' ? true : undefined),
      'the checklist wait',
    );

    const own = await t.request(dana, 'POST', `/api/deployments/${id}/approve`, {});
    expect(own.status).toBe(403);
    expect((await own.json()).error.message).toContain(
      'dana requested this deployment and cannot approve it',
    );

    const first = await t.request(erin, 'POST', `/api/deployments/${id}/approve`, { comment: 'looks good' });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ user: 'erin', role: 'release-manager' });
    const again = await t.request(erin, 'POST', `/api/deployments/${id}/approve`, {});
    expect(again.status).toBe(403);
    expect((await again.json()).error.message).toContain('each person counts once');

    expect((await t.request(dana, 'POST', `/api/deployments/${id}/check`, { item: '1' })).status).toBe(200);
    expect((await t.request(finn, 'POST', `/api/deployments/${id}/approve`, {})).status).toBe(200);
    await waitFor(async () => ((await statusOf(dana, id)) === 'succeeded' ? true : undefined), 'success');

    const events = await t.journal.readEvents(id);
    const granted = events.filter((e) => e.type === EVENT.approvalGranted);
    expect(granted.map((e) => [e.actor, e.data.comment])).toEqual([
      ['erin', 'looks good'],
      ['finn', undefined],
    ]);
    expect(events.filter((e) => e.type === EVENT.approvalRefused).map((e) => e.actor)).toEqual([
      'dana',
      'erin',
    ]);
  });

  it('records with an approval the analysis the approver had seen', async () => {
    const dana = await t.user('dana', ['deployer']);
    const erin = await t.user('erin', ['release-manager']);
    const id = await deploy(dana, PLAN.replace('count: 2', 'count: 1'));
    const measure = (value: number, tier: string, explanation: string) =>
      t.journal.append([
        {
          deploymentId: id,
          events: [
            { type: EVENT.measurement, data: { metric: 'error_rate', value } },
            { type: EVENT.decision, data: { tier, explanation, metric: 'error_rate' } },
          ],
        },
      ]);
    const [seen] = await measure(0.001, 'pass', 'error_rate 0.1% is below 1%');
    await measure(0.007, 'warn', 'error_rate 0.7% is above 0.5%');
    const seenIndex = (seen as { ok: true; events: Array<{ index: number }> }).events[1]?.index;

    const response = await t.request(erin, 'POST', `/api/deployments/${id}/approve`, {
      seenEventIndex: seenIndex,
    });
    expect(response.status).toBe(200);
    const approval = (await t.journal.readEvents(id)).find((e) => e.type === EVENT.approvalGranted);
    expect(approval?.data.analysis).toMatchObject({
      atEventIndex: seenIndex,
      decision: { tier: 'pass', explanation: 'error_rate 0.1% is below 1%' },
      measurements: [{ metric: 'error_rate', value: 0.001 }],
    });
  });

  it('shows a replaced plan in the deployment detail once the plan is replaced', async () => {
    const dana = await t.user('dana', ['deployer']);
    const id = await deploy(dana);
    const names = async () =>
      (
        (await (await t.request(dana, 'GET', `/api/deployments/${id}`)).json()) as {
          steps: { main: Array<{ name: string }> };
        }
      ).steps.main.map((step) => step.name);
    expect(await names()).toContain('ship it');
    const source = PLAN.replace('ship it', 'ship it carefully');
    await t.journal.append([
      {
        deploymentId: id,
        events: [
          { type: EVENT.planReplaced, data: { planHash: 'x', path: 'plan.yaml', source }, actor: 'dana' },
        ],
      },
    ]);
    await waitFor(
      async () => ((await names()).includes('ship it carefully') ? true : undefined),
      'the new plan',
    );
  });

  it('refuses a revoked token and an expired one, and names which', async () => {
    const token = await t.user('dana', ['viewer']);
    expect((await t.request(token, 'GET', '/api/me')).status).toBe(200);
    const id = token.split('.')[1] as string;
    await t.journal.revokeToken(id);
    const revoked = await t.request(token, 'GET', '/api/me');
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.message).toBe('the token was revoked');

    const expired = await issueToken(t.journal, {
      user: 'dana',
      expiresInMs: 1_000,
      now: new Date(Date.now() - 5_000),
    });
    const answer = await t.request(expired.token, 'GET', '/api/me');
    expect(answer.status).toBe(401);
    expect((await answer.json()).error.message).toBe('the token has expired');
  });

  it('streams a deployment’s events live, from the index asked for', async () => {
    const dana = await t.user('dana', ['deployer']);
    const id = await deploy(dana);
    const response = await fetch(`${t.url}/api/deployments/${id}/stream?from=0`, {
      headers: { authorization: `Bearer ${dana}` },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const decoder = new TextDecoder();
    await t.journal.append([
      { deploymentId: id, events: [{ type: EVENT.weightSet, data: { weightPct: 25 } }] },
    ]);
    while (!text.includes('"weight.set"')) text += decoder.decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toMatch(/event: journal\ndata: \{[^\n]*"type":"deployment.created"[^\n]*\nid: 0\n/);
    expect(text).toMatch(/"weightPct":25/);
  });

  it('serves Gantry’s own metrics in Prometheus text', async () => {
    const dana = await t.user('dana', ['deployer']);
    await deploy(dana);
    await waitFor(async () => {
      const text = await (await t.request(dana, 'GET', '/metrics')).text();
      return text.includes('gantry_deployments{status="waiting"} 1') ? text : undefined;
    }, 'the waiting deployment in /metrics');
    const text = await (await t.request(dana, 'GET', '/metrics')).text();
    expect(text).toContain('# TYPE gantry_step_duration_seconds histogram');
    expect(text).toMatch(
      /gantry_step_duration_seconds_count\{kind="checklist"|gantry_step_duration_seconds_count\{kind="window"|# TYPE gantry_rollbacks_total counter/,
    );
    expect(text).toContain('# TYPE gantry_breach_to_rollback_seconds histogram');
  });
});

describe('sign-in', () => {
  afterEach(async () => {
    await t.close();
  });

  it('rate-limits failed sign-ins per address, then refuses even a valid token until the window passes', async () => {
    t = await testServer({
      engine: false,
      limiter: new FailureLimiter({ maxFailures: 3, windowMs: 60_000 }),
    });
    const good = await t.user('dana', ['viewer']);
    const signIn = (token: string) => t.request(undefined, 'POST', '/api/session', { token });
    const ok = await signIn(good);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/gantry_session=.*HttpOnly.*SameSite=Strict/i);
    for (let i = 0; i < 3; i++) expect((await signIn(`gty.t-0000000000.${'A'.repeat(43)}`)).status).toBe(401);
    const limited = await signIn(good);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await t.request(good, 'GET', '/api/me')).status).toBe(429);
  });

  it('refuses a change made with the session cookie unless it is sent as JSON', async () => {
    t = await testServer({ engine: false });
    const token = await t.user('dana', ['deployer']);
    const cookie = `gantry_session=${token}`;
    const form = await fetch(`${t.url}/api/deployments/d-1/pause`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'reason=x',
    });
    expect(form.status).toBe(403);
    const json = await fetch(`${t.url}/api/deployments/d-1/pause`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(404);
  });
});
