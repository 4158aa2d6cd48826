// Analysis on Prometheus, end to end: Debian's Prometheus scrapes gantry-proxy's /metrics and each sample-app
// instance's own /metrics every second. A healthy canary is promoted on that data, a failing one rolled back
// on it; `gantry replay` over the recorded history names the moment and the rule; and Prometheus stopped in
// the middle of an analysis makes it inconclusive (the deployment pauses), never a decision.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, gantryJson, waitFor } from './support/cli.js';
import { freePort, samplePlan } from './support/local-plans.js';
import { type PrometheusProcess, requirePrometheus, startPrometheus } from './support/prometheus.js';
import { type ProxyProcess, startProxy } from './support/proxy-harness.js';
import { steadyLoad } from './support/proxy-load.js';
import { type Workspace, workspace } from './support/workspace.js';

const check = requirePrometheus();
const SERVICE = 'prom-shop';
const PROXY_SERIES = `service="{{service}}.{{environment}}",version="{{version}}"`;

function prometheusSection(url: string): string {
  return `analysis:
  interval: 1s
  consecutiveErrorLimit: 3
  prometheus:
    url: ${url}
    timeout: 2s
    metrics:
      error_rate:
        query: 'sum(rate(gantry_proxy_requests_total{${PROXY_SERIES},code_class="5xx"}[{{window}}])) / sum(rate(gantry_proxy_requests_total{${PROXY_SERIES}}[{{window}}]))'
        requests: 'sum(increase(gantry_proxy_requests_total{${PROXY_SERIES}}[{{window}}]))'
      app_error_rate: '(sum(rate(sample_app_requests_total{version="{{version}}",code="500"}[{{window}}])) or vector(0)) / sum(rate(sample_app_requests_total{version="{{version}}",path="/"}[{{window}}]))'
  rules:
    - error_rate > 5% for 5s
    - app_error_rate > 5% for 5s
`;
}

describe.skipIf(!check.available)('analysis on Prometheus', () => {
  let ws: Workspace;
  let proxy: ProxyProcess;
  let prometheus: PrometheusProcess;
  let plan: string;
  let port: number;
  let discovery: NodeJS.Timeout;
  /** Cleared before Prometheus's folder goes, so a tick still waiting on the proxy writes nothing after. */
  let discovering = true;
  const home = () => ({ home: ws.home });

  beforeAll(async () => {
    ws = workspace('gantry-prometheus-');
    const metricsPort = await freePort();
    proxy = await startProxy(ws.home, ['--metrics', `127.0.0.1:${metricsPort}`]);
    prometheus = await startPrometheus([`127.0.0.1:${metricsPort}`]);
    // Each app instance is scraped on its own port, known only once the proxy started it.
    discovery = setInterval(async () => {
      const state = await proxy.client.getService(`${SERVICE}.test`).catch(() => undefined);
      const targets = state?.versions.flatMap((v) => v.instances.map((i) => `127.0.0.1:${i.port}`)) ?? [];
      if (discovering) prometheus.setFileTargets(targets);
    }, 300);
    port = await freePort();
    const base = { service: SERVICE, port, faults: { v3: 'errors:20' } };
    const first = ws.writePlan(
      'first.yaml',
      samplePlan({ ...base, strategy: '  canary:\n    steps: [{ setWeight: 100 }]' }),
    );
    expect(
      (await gantry(['deploy', first, '--version', 'v1', '--wait'], { ...home(), timeoutMs: 60_000 })).code,
    ).toBe(0);
    plan = ws.writePlan(
      'prometheus.yaml',
      samplePlan({
        ...base,
        strategy: '  canary:\n    steps:\n      - setWeight: 50\n      - analysis: { duration: 12s }',
        extra: prometheusSection(prometheus.url),
      }),
    );
  }, 120_000);

  afterAll(async () => {
    discovering = false;
    clearInterval(discovery);
    await prometheus?.stop();
    prometheus?.remove();
    await proxy?.stop();
    ws?.remove();
  });

  async function deployUnderLoad(version: string) {
    const load = steadyLoad(`http://127.0.0.1:${port}`, {
      ratePerSec: 80,
      ok: () => true,
      maxDurationMs: 90_000,
    });
    try {
      return await gantry(['deploy', plan, '--version', version, '--wait'], {
        ...home(),
        timeoutMs: 40_000,
      }).catch(async (error) => {
        const [deployment] = (await gantryJson(['history', '--service', SERVICE], home())).json;
        console.log((await gantry(['logs', deployment.id], home())).stdout);
        throw error;
      });
    } finally {
      await load.stop();
    }
  }

  async function eventsOf(
    id: string,
  ): Promise<Array<{ type: string; at: string; data: Record<string, any> }>> {
    return (await gantryJson(['logs', id], home())).json;
  }

  it('promotes a healthy canary on Prometheus data, with the PromQL in the evidence', {
    timeout: 120_000,
  }, async () => {
    const result = await deployUnderLoad('v2');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [deployment] = (await gantryJson(['history', '--service', SERVICE], home())).json;
    const decision = (await eventsOf(deployment.id)).find((e) => e.type === 'analysis.decision');
    expect(decision?.data.tier).toBe('pass');
    expect(decision?.data.explanation).toMatch(
      /^2 rules passed after 12s: error_rate of v2 was [\d.]+%, not > 5%, in the last 5s over \d+ requests; app_error_rate of v2 was/,
    );
    expect(JSON.stringify(decision?.data.rules)).toContain('gantry_proxy_requests_total');
  });

  let badRollout: { id: string; fromMs: number; toMs: number };

  it('rolls back a canary failing 20% of requests on Prometheus data', { timeout: 120_000 }, async () => {
    const result = await deployUnderLoad('v3');
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const [deployment] = (await gantryJson(['history', '--service', SERVICE], home())).json;
    expect(deployment.status).toBe('rolled_back');
    const events = await eventsOf(deployment.id);
    const decision = events.find((e) => e.type === 'analysis.decision');
    expect(decision?.data).toMatchObject({ tier: 'rollback', source: 'analysis', window: '5s' });
    expect(decision?.data.query[0]).toContain(
      'gantry_proxy_requests_total{service="prom-shop.test",version="v3"',
    );
    const logs = await gantry(['logs', deployment.id], home());
    expect(logs.stdout).toMatch(
      /rollback \(analysis step\): (app_)?error_rate of v3 was [\d.]+% > 5% for 5s.*; rolling back/,
    );
    const weighted = events.find((e) => e.type === 'weight.set' && e.data.weightPct > 0);
    badRollout = {
      id: deployment.id,
      fromMs: Date.parse(weighted?.at ?? ''),
      toMs: Date.parse(decision?.at ?? '') + 5_000,
    };
  });

  it('replays the recorded bad rollout and names the moment and the rule that would have fired', {
    timeout: 60_000,
  }, async () => {
    expect(badRollout).toBeDefined();
    const from = new Date(badRollout.fromMs).toISOString();
    const to = new Date(badRollout.toMs).toISOString();
    const result = await gantry(
      ['replay', plan, '--version', 'v3', '--previous', 'v2', '--from', from, '--to', to, '--every', '1s'],
      home(),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /rollback +(app_)?error_rate > 5% for 5s \(analysis\): (app_)?error_rate of v3 was [\d.]+% > 5% for 5s/,
    );
    const moment =
      /would have rolled back at (\d\d:\d\d:\d\d) UTC \(([\dms.]+) after --from\): rule "(app_)?error_rate > 5% for 5s"/.exec(
        result.stdout,
      );
    expect(moment, result.stdout).not.toBeNull();
    const json = await gantryJson(
      ['replay', plan, '--version', 'v3', '--previous', 'v2', '--from', from, '--to', to, '--every', '1s'],
      home(),
    );
    expect(json.json.outcome).toBe('rollback');
    // The rule needs 5 s of data: it cannot fire earlier, and fires before the live rollout had rolled back.
    expect(Date.parse(json.json.at) - badRollout.fromMs).toBeGreaterThanOrEqual(5_000);
    expect(Date.parse(json.json.at)).toBeLessThanOrEqual(badRollout.toMs);
  });

  it('pauses as inconclusive, not a decision, when Prometheus stops in the middle of an analysis', {
    timeout: 120_000,
  }, async () => {
    const load = steadyLoad(`http://127.0.0.1:${port}`, {
      ratePerSec: 40,
      ok: () => true,
      maxDurationMs: 90_000,
    });
    try {
      const started = await gantryJson(['deploy', plan, '--version', 'v4'], home());
      const id = started.json.id as string;
      await waitFor(
        async () => ((await eventsOf(id)).some((e) => e.type === 'analysis.measurement') ? true : undefined),
        'the first measurement',
        60_000,
      );
      await prometheus.stop();
      const paused = await waitFor(
        async () => {
          const status = (await gantryJson(['status', id], home())).json;
          return status.status === 'paused' ? status : undefined;
        },
        'the deployment to pause',
        30_000,
      );
      expect(paused.lastDecision.tier).toBe('inconclusive');
      expect(paused.lastDecision.explanation).toMatch(
        /could not be evaluated 3 times in a row \(Prometheus at http:\/\/127\.0\.0\.1:\d+ unreachable: ECONNREFUSED\); pausing for a person to decide/,
      );
      const decisions = (await eventsOf(id)).filter((e) => e.type === 'analysis.decision');
      expect(decisions.map((d) => d.data.tier)).toEqual(['inconclusive']);
      await gantry(['abort', id], home());
      await waitFor(
        async () => {
          const status = (await gantryJson(['status', id], home())).json.status;
          return ['rolled_back', 'aborted', 'failed'].includes(status) ? status : undefined;
        },
        'the aborted deployment to end',
        60_000,
      );
    } finally {
      await load.stop();
    }
  });
});
