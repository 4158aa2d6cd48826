// The dashboard in a real headless Chromium against a real server and engine: signing in, a canary
// progressing live, approval by a second person, a bad version rolled back with the decision in words,
// and plan, comment and checklist text containing HTML shown as text. Screenshots go to test-artifacts/.
// The canary's traffic and analysis events come from CanaryFeed until strategies and analysis run
// against gantry-proxy (see test/support/canary-feed.ts); everything else is the real machinery.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, DASHBOARD_DIR, launchChromium, requireChromium } from './support/browser.js';
import { CanaryFeed } from './support/canary-feed.js';
import { type TestServer, testServer } from './support/gantry-server.js';

const check = requireChromium();

const PROMETHEUS = `
  prometheus:
    url: http://127.0.0.1:9
    metrics:
      error_rate: 'sum(rate(http_errors{version="{{version}}"}[{{window}}]))'
      p95_latency: 'histogram_quantile(0.95, rate(http_seconds_bucket{version="{{version}}"}[{{window}}]))'`;

const CANARY_PLAN = `
service: checkout
environment: production
description: Canary of the checkout service
analysis:${PROMETHEUS}
  rules:
    - error_rate > 0.5% for 1m: warn
    - error_rate > 1% for 1m: rollback
    - p95_latency > 500ms for 1m: rollback
steps:
  - { name: canary at 10%, wait: 5s }
  - { name: go to 50%, approval: release-manager }
  - { name: canary at 50%, wait: 1s }
rollback:
  steps:
    - { name: put all traffic back on the stable version, run: "true" }
`;

let t: TestServer;
let browser: Browser;
const tokens: Record<string, string> = {};

async function signIn(name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  await page.goto(t.url);
  await page.getByTestId('token').fill(tokens[name] as string);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('who').waitFor();
  return page;
}

async function deploy(plan: string, version: string): Promise<{ id: string; feed: CanaryFeed }> {
  const path = t.ws.writePlan(`plan-${version}.yaml`, plan);
  const response = await t.request(tokens.alice, 'POST', '/api/deployments', {
    plan: { path, source: plan },
    version,
  });
  expect(response.status).toBe(201);
  const { deployment } = (await response.json()) as { deployment: { id: string } };
  return { id: deployment.id, feed: new CanaryFeed(t.journal, deployment.id) };
}

const status = (page: Page) => page.getByTestId('status');
/** Waits for what the page shows; generous, as CI shares two cores between test files. */
const poll = <T>(probe: () => Promise<T>) => expect.poll(probe, { timeout: 20_000 });

describe.skipIf(!check.available)('the dashboard in Chromium', () => {
  beforeAll(async () => {
    t = await testServer({ dashboardDir: DASHBOARD_DIR });
    tokens.alice = await t.user('alice', ['deployer']);
    tokens.bob = await t.user('bob', ['release-manager']);
    tokens.vera = await t.user('vera', ['viewer']);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('refuses a bad token at sign-in and says why', async () => {
    const page = await browser.newPage();
    await page.goto(t.url);
    await page.getByTestId('token').fill('gty.t-0000000000.not-a-real-secret');
    await page.getByTestId('sign-in').click();
    await poll(() => page.getByRole('alert').textContent()).toContain('sign-in refused');
    await page.close();
  });

  it('shows a canary progressing live, lets a second person approve, and ends succeeded', async () => {
    const alice = await signIn('alice');
    await alice.getByTestId('services').waitFor();
    const { id, feed } = await deploy(CANARY_PLAN, '2.0.0');
    // The services page hears of the new deployment on the global stream, without a reload.
    await poll(() => alice.getByTestId('services').textContent()).toContain('checkout');
    await alice.screenshot({ path: artifactPath('dashboard-services.png') });
    await alice
      .getByRole('link', { name: /2\.0\.0/ })
      .first()
      .click();
    await alice.getByTestId('live').filter({ hasText: 'live' }).waitFor();

    await feed.setWeight(10);
    for (const [rate, p95] of [
      [0.001, 120],
      [0.002, 135],
      [0.0015, 128],
    ] as const) {
      await feed.analyse(
        { error_rate: rate, p95_latency: p95 },
        {
          tier: 'pass',
          metric: 'error_rate',
          explanation: `error_rate of 2.0.0 is ${rate * 100}%, below 0.5%`,
        },
      );
    }
    await alice.getByTestId('metric-error_rate').waitFor();
    await alice.getByTestId('weight-chart').waitFor();
    await poll(() => alice.locator('[data-step="steps[0]"]').getAttribute('data-status')).toBe('running');
    await alice.screenshot({ path: artifactPath('dashboard-canary-progress.png'), fullPage: true });
    await poll(() => alice.locator('[data-step="steps[0]"]').getAttribute('data-status')).toBe('succeeded');
    await poll(() => status(alice).textContent()).toBe('waiting');
    // The requester is never offered the approval, and a deployer holds no approving role.
    expect(await alice.getByTestId('approve').count()).toBe(0);

    const bob = await signIn('bob');
    await bob.goto(`${t.url}/#/deployments/${id}`);
    await bob.getByTestId('approve-comment').fill('Error rate flat at 0.15%; go.');
    expect(await bob.getByTestId('pause').count()).toBe(0);
    await bob.screenshot({ path: artifactPath('dashboard-approve.png'), fullPage: true });
    await bob.getByTestId('approve').click();
    await poll(() => bob.getByTestId('action-result').textContent()).toBe('Approved');
    await feed.setWeight(50);
    await poll(() => alice.getByTestId('approvals').textContent()).toContain('Error rate flat at 0.15%; go.');
    await feed.setWeight(100);
    await poll(() => status(alice).textContent()).toBe('succeeded');
    await alice.screenshot({ path: artifactPath('dashboard-canary-succeeded.png'), fullPage: true });

    const approval = (await t.journal.readEvents(id)).find((e) => e.type === 'approval.granted');
    expect(approval).toMatchObject({ actor: 'bob', data: { comment: 'Error rate flat at 0.15%; go.' } });
    expect(approval?.data.analysis).toMatchObject({ decision: { tier: 'pass' } });
    await alice.context().close();
    await bob.context().close();
  });

  it('shows a bad version rolled back by a rule, with the decision in words', async () => {
    const alice = await signIn('alice');
    const { id, feed } = await deploy(CANARY_PLAN, '2.1.0');
    await alice.goto(`${t.url}/#/deployments/${id}`);
    await alice.getByTestId('live').filter({ hasText: 'live' }).waitFor();
    await poll(() => alice.locator('[data-step="steps[0]"]').getAttribute('data-status')).toBe('running');
    await feed.setWeight(10);
    await feed.analyse(
      { error_rate: 0.004, p95_latency: 180 },
      { tier: 'pass', metric: 'error_rate', explanation: 'error_rate of 2.1.0 is 0.4%, below 0.5%' },
    );
    await feed.analyse(
      { error_rate: 0.007, p95_latency: 240 },
      {
        tier: 'warn',
        metric: 'error_rate',
        explanation: 'error_rate of 2.1.0 is 0.7%, above the 0.5% warning line',
      },
    );
    const breach =
      'error_rate of 2.1.0 was 2.3% over the last 1m (412 of 17,900 requests failed), above the 1% rollback threshold; rolling back';
    await feed.analyse(
      { error_rate: 0.023, p95_latency: 310 },
      { tier: 'rollback', metric: 'error_rate', explanation: breach },
    );
    await poll(() => status(alice).textContent()).toBe('rolled back');
    await poll(() => alice.getByTestId('decisions').textContent()).toContain(breach);
    expect(await alice.getByTestId('status-reason').textContent()).toContain(
      'above the 1% rollback threshold',
    );
    expect(await alice.locator('[data-step="rollback[0]"]').getAttribute('data-status')).toBe('succeeded');
    await alice.screenshot({ path: artifactPath('dashboard-rolled-back.png'), fullPage: true });
    await alice.context().close();
  });

  it('shows HTML and script in plans, comments and checklist items as text, never running it', async () => {
    const plan = `
service: search
environment: staging
description: "<script>window.__xss='description'</script>"
checklist: ['<img src=x onerror="window.__xss=1">Backups verified', '<b>bold</b> item']
steps:
  - { name: "<script>window.__xss='step'</script>ship", approval: release-manager }
`;
    const { id } = await deploy(plan, '<svg onload="window.__xss=9">');
    const comment = '<img src=x onerror="window.__xss=\'comment\'"><script>window.__xss=3</script>';
    const approved = await t.request(tokens.bob, 'POST', `/api/deployments/${id}/approve`, { comment });
    expect(approved.status).toBe(200);
    const vera = await signIn('vera');
    await vera.goto(`${t.url}/#/deployments/${id}`);
    await vera.getByTestId('approvals').waitFor();
    await vera.locator('details.plan').evaluate((el) => el.setAttribute('open', ''));
    expect(await vera.getByTestId('checklist').textContent()).toContain(
      '<img src=x onerror="window.__xss=1">Backups verified',
    );
    expect(await vera.getByTestId('approvals').textContent()).toContain(comment);
    expect(await vera.getByTestId('plan-source').textContent()).toContain(
      "<script>window.__xss='description'</script>",
    );
    expect(await vera.getByTestId('step-timeline').textContent()).toContain(
      "<script>window.__xss='step'</script>ship",
    );
    expect(await vera.locator('h1').textContent()).toContain('<svg onload="window.__xss=9">');
    expect(await vera.locator('img[src="x"], main script, svg[onload]').count()).toBe(0);
    expect(await vera.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    await vera.screenshot({ path: artifactPath('dashboard-inert-html.png'), fullPage: true });
    // The viewer sees no buttons at all.
    expect(await vera.locator('.actions button').count()).toBe(0);
    await vera.context().close();
  });
});
