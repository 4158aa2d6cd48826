// The five source runbooks as plans (examples/runbooks/NNN-*): each plan is valid, `gantry plan` expands
// it to the runbook's procedure, and each folder's README maps every section of its runbook. The
// end-to-end runs are in test/runbooks/.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../src/plan/diagnostics.js';
import { expandPlan } from '../src/plan/expand.js';
import { loadPlanFile } from '../src/plan/load.js';
import { gantry } from './support/cli.js';
import { compressDurations, rewritePlan } from './support/runbook-plans.js';
import { workspace } from './support/workspace.js';

const RUNBOOKS = join(import.meta.dirname, '..', 'examples', 'runbooks');

/** Every plan of every runbook folder, with what its expansion must contain. */
const PLANS: Array<{ file: string; kinds: string[]; names: RegExp[] }> = [
  {
    file: '000-astral-draft/plan.yaml',
    kinds: ['window', 'checklist', 'backup', 'maintenance', 'stopVersion', 'migrate', 'analysis', 'monitor'],
    names: [/Step 3\.4: run database migrations/, /§8 deployment success criteria/],
  },
  {
    file: '001-astralfield/plan.yaml',
    kinds: ['checklist', 'backup', 'migrate', 'startVersion', 'http', 'setWeight', 'analysis', 'monitor'],
    names: [/database connectivity \(latency < 50ms\)/, /Post-Deployment checklist/],
  },
  {
    file: '001-astralfield/hotfix.yaml',
    kinds: ['startVersion', 'setWeight', 'monitor'],
    names: [/fast-track testing/],
  },
  {
    file: '002-architect-api/plan.yaml',
    kinds: ['checklist', 'approval', 'backup', 'migrate', 'setWeight', 'analysis', 'monitor'],
    names: [/Production Checklist/, /First Week \(Validation Period\)/, /4\. run pending migrations/],
  },
  {
    file: '003-hogwarts-upload/plan.yaml',
    kinds: ['checklist', 'backup', 'migrate', 'setWeight', 'analysis'],
    names: [/terraform apply blue_weight=0 green_weight=100/, /Rollback checklist/],
  },
  {
    file: '003-hogwarts-upload/canary.yaml',
    kinds: ['setWeight', 'analysis', 'migrate'],
    names: [/scale canary to 10%/],
  },
  {
    file: '003-hogwarts-upload/rolling.yaml',
    kinds: ['scaleVersion', 'analysis'],
    names: [/verify all pods/],
  },
  {
    file: '004-sprint-7-5/plan.yaml',
    kinds: ['checklist', 'approval', 'migrate', 'setWeight', 'analysis', 'monitor'],
    names: [/Phase 2 success criteria/, /Day 7 Sign-Off/, /Week 2-4 Sign-Off/],
  },
];

describe('the runbooks as plans', () => {
  it('has a plan and a README for each of the five runbooks', () => {
    const folders = readdirSync(RUNBOOKS).filter((name) => /^\d{3}-/.test(name));
    expect(folders).toEqual([
      '000-astral-draft',
      '001-astralfield',
      '002-architect-api',
      '003-hogwarts-upload',
      '004-sprint-7-5',
    ]);
    for (const folder of folders) {
      expect(existsSync(join(RUNBOOKS, folder, 'plan.yaml'))).toBe(true);
      expect(readFileSync(join(RUNBOOKS, folder, 'README.md'), 'utf8')).toMatch(
        /## Section by section[\s\S]*## Gaps/,
      );
    }
  });

  it.each(PLANS.map((p) => [p.file, p] as const))(
    '%s is valid and expands to the runbook procedure',
    async (_name, plan) => {
      const loaded = await loadPlanFile(join(RUNBOOKS, plan.file));
      if (!loaded.ok) expect.fail(formatDiagnostics(loaded.diagnostics, loaded.source));
      const expanded = expandPlan(loaded.plan);
      const kinds = new Set(expanded.main.map((step) => step.kind));
      for (const kind of plan.kinds) expect(kinds, `${plan.file} has a ${kind} step`).toContain(kind);
      const names = [...expanded.main, ...expanded.rollback].map((step) => step.name ?? '');
      for (const name of plan.names)
        expect(
          names.some((n) => name.test(n)),
          `${plan.file}: ${name}`,
        ).toBe(true);
      expect(expanded.rollback.length).toBeGreaterThan(0);
    },
  );

  it('keeps the checklist items of runbook 000 exactly as the runbook lists them', async () => {
    const loaded = await loadPlanFile(join(RUNBOOKS, '000-astral-draft', 'plan.yaml'));
    expect(loaded.ok && loaded.plan.checklist).toEqual([
      'Deployment team briefed',
      'Support team on standby',
      'Communication channels open',
      'Rollback plan reviewed',
      'Emergency contacts confirmed',
    ]);
  });

  it('prints the expansion through `gantry plan`, the CLI way', async () => {
    const ws = workspace();
    try {
      const result = await gantry(
        ['plan', join(RUNBOOKS, '004-sprint-7-5', 'plan.yaml'), '--version', '1.1.0'],
        {
          home: ws.home,
        },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(
        /Phase 1: deploy to 5% of production[\s\S]*Phase 2: increase to 25%[\s\S]*Phase 3: increase to 100%/,
      );
      expect(result.stdout).toContain('undo before[1] (alembic upgrade head)');
    } finally {
      ws.remove();
    }
  });
});

/** The README's "line numbers" list, as the plans are now: top-level sections and their main lists. */
function lineMap(folder: string): string {
  const plans = readdirSync(join(RUNBOOKS, folder))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const items = plans.map((plan) => {
    const lines = readFileSync(join(RUNBOOKS, folder, plan), 'utf8').split('\n');
    const top = lines.flatMap((line, i) =>
      /^[a-zA-Z]+:/.test(line) ? [{ key: line.split(':')[0] as string, at: i + 1 }] : [],
    );
    const parts = top.flatMap(({ key, at }, k) => {
      let end = (top[k + 1]?.at ?? lines.length + 1) - 1;
      while (end > at && (lines[end - 1]?.trim() === '' || lines[end - 1]?.trimStart().startsWith('#')))
        end--;
      if (['service', 'environment', 'description'].includes(key)) return [];
      const nested = ['steps', 'strategy', 'rollback', 'analysis', 'notify'].includes(key)
        ? lines.slice(at, end).flatMap((line, i) => {
            const m =
              /^(?: {2}| {4})(before|after|whileStopped|checks|prePromotion|steps|automatic|rules|channels|escalation|reminders):/.exec(
                line,
              );
            return m ? [`\`${key}.${m[1]}\` ${at + i + 1}`] : [];
          })
        : [];
      return [`\`${key}\` ${end === at ? at : `${at}–${end}`}`, ...nested];
    });
    return `- [\`${plan}\`](${plan}): ${parts.join(', ')}.`;
  });
  return `## Where things are in the plans (line numbers)\n\n${items.join('\n')}\n`;
}

describe('the runbook READMEs', () => {
  it.each(PLANS.map((p) => p.file.split('/')[0] as string).filter((f, i, all) => all.indexOf(f) === i))(
    '%s: the line numbers it gives match its plans',
    (folder) => {
      const readme = readFileSync(join(RUNBOOKS, folder, 'README.md'), 'utf8');
      expect(readme).toContain(lineMap(folder));
    },
  );
});

describe('the test rewrite of a runbook plan', () => {
  it('divides step durations and rule windows, never thresholds or health timings', () => {
    const source = [
      'target: { local: { run: x, listen: 127.0.0.1:8400, health: { interval: 1s, startupTimeout: 30s } } }',
      'steps: [{ wait: 2h }, { analysis: { duration: 3d } }, { monitor: { every: 1m, for: 1h } }]',
      'analysis: { interval: 5m, rules: ["latency > 3s for 10 requests", "error_rate > 1% for 10m: warn"] }',
    ].join('\n');
    const out = compressDurations(source, { factor: 60, spanFloorMs: 1_000 });
    expect(out).toContain('wait: 120000ms');
    expect(out).toContain('duration: 4320000ms');
    expect(out).toContain('every: 1000ms');
    expect(out).toContain('for: 60000ms');
    expect(out).toContain('interval: 5000ms');
    expect(out).toContain('latency > 3s for 10 requests');
    expect(out).toContain('error_rate > 1% for 10000ms: warn');
    expect(out).toContain('interval: 1s');
    expect(out).toContain('startupTimeout: 30s');
  });

  it('gives gauge rules a minimum of samples that fits the compressed window, and adds the fault and port', () => {
    const source = [
      'target: { local: { run: x, listen: 127.0.0.1:8400 } }',
      'rollback: { automatic: ["memory > 90% for 3m", { "cpu > 80% for 5m": pause }] }',
    ].join('\n');
    const out = rewritePlan(source, {
      factor: 60,
      port: { from: 8400, to: 9999 },
      faults: { '2.0.0': 'errors:20' },
    });
    expect(out).toContain('{ rule: memory > 90% for 3000ms, minSamples: 2 }');
    expect(out).toContain('{ rule: cpu > 80% for 5000ms, tier: pause, minSamples: 2 }');
    expect(out).toContain('127.0.0.1:9999');
    expect(out).toContain('versions: { 2.0.0: { env: { FAULT: errors:20 } } }');
  });
});
