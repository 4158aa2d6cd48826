import { describe, expect, it } from 'vitest';
import { parsePlan } from './load.js';

function problems(yaml: string): string[] {
  const loaded = parsePlan(yaml, 'plan.yaml');
  return loaded.ok ? [] : loaded.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
}

const runbook = (extra: string) => `service: s\nsteps:\n  - run: "true"\n${extra}`;

describe('checking where rules read their metrics', () => {
  it('says a plain runbook has no builtin statistics, pointing at the metric', () => {
    expect(problems(runbook('rollback:\n  automatic: ["error_rate > 5% for 5m"]\n'))).toEqual([
      "5:16 error_rate comes from gantry-proxy's statistics, and a plan without a target has none: declare error_rate under analysis.prometheus.metrics, or deploy with a target",
    ]);
  });

  it('accepts builtin names declared under analysis.prometheus.metrics, and suggests near misses', () => {
    const prometheus = `analysis:\n  prometheus:\n    url: http://127.0.0.1:9090\n    metrics:\n      error_rate: 'sum(rate(x[{{window}}]))'\n      db_failures: 'sum(y)'\n`;
    expect(
      problems(runbook(`${prometheus}  rules: ["error_rate > 1% for 1m", "db_failures > 10"]\n`)),
    ).toEqual([]);
    expect(problems(runbook(`${prometheus}  rules: ["db_failure > 10"]\n`))).toEqual([
      "10:12 unknown metric 'db_failure'; did you mean 'db_failures'?",
    ]);
  });

  it('accepts rule objects that pick the sequential judge, and refuses one it cannot judge', () => {
    const target = `target:\n  local: { run: "node app.js", listen: "127.0.0.1:8080" }\nstrategy:\n  canary: { steps: [{ setWeight: 10 }] }\nsteps: { before: [], after: [] }\n`;
    const ok = `service: s\n${target}rollback:\n  automatic:\n    - { rule: "error_rate(canary) > 2 × error_rate(stable)", judge: sequential, falseRollbackRate: 0.01 }\n`;
    expect(problems(ok)).toEqual([]);
    const bad = `service: s\n${target}rollback:\n  automatic:\n    - { rule: "memory > 90% for 3m", judge: sequential }\n`;
    expect(problems(bad)).toEqual([
      "9:16 the sequential judge reads every request since the version took traffic: remove the 'for …' window",
    ]);
  });

  it('refuses per-request windows on Prometheus metrics', () => {
    const prometheus = `analysis:\n  prometheus:\n    url: http://127.0.0.1:9090\n    metrics: { latency: 'max(z)' }\n  rules: ["latency > 3s for 10 requests"]\n`;
    expect(problems(runbook(prometheus))[0]).toMatch(
      /latency comes from Prometheus, which has no single requests/,
    );
  });
});
