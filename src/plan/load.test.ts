import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, GantryError } from '../errors.js';
import { type Diagnostic, formatDiagnostics } from './diagnostics.js';
import { loadPlanFile, parsePlan } from './load.js';
import { STEP_KINDS } from './schema/steps.js';
import { listWords } from './wording.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
/** "run, http, … or migrate": the kinds as messages list them; new kinds join without editing the tests. */
const KINDS = listWords(STEP_KINDS);

function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function diagnosticsOf(source: string): Diagnostic[] {
  const result = parsePlan(source, 'plan.yaml');
  if (result.ok) throw new Error('expected the plan to be invalid');
  return result.diagnostics;
}

/** "line:col message" for compact assertions. */
function placed(source: string): string[] {
  return diagnosticsOf(source).map((d) => `${d.line}:${d.column} ${d.message}`);
}

describe('loading a plan', () => {
  it('accepts the DESIGN.md example and fills in defaults', async () => {
    const loaded = await loadPlanFile(join(EXAMPLES, 'design-example.yaml'));
    if (!loaded.ok) throw new Error(formatDiagnostics(loaded.diagnostics, loaded.source));
    const { plan } = loaded;
    expect(plan.service).toBe('shop-api');
    expect(plan.analysis?.interval).toBe(5_000);
    expect(plan.analysis?.rules.map((rule) => [rule.metric.metric, rule.tier])).toEqual([
      ['error_rate', 'warn'],
      ['error_rate', 'rollback'],
      ['p95_latency', 'rollback'],
    ]);
    expect(plan.rollback.automatic[1]?.window).toEqual({ kind: 'requests', count: 10 });
    expect(plan.rollback.steps).toEqual([
      { restore: { backup: 'db', stopTraffic: false, allowUnverified: false, timeout: 3_600_000 } },
      { notify: { channels: ['team'], message: undefined } },
    ]);
    expect(plan.target && 'local' in plan.target ? plan.target.local.health.timeout : undefined).toBe(2_000);
    expect(plan.monitor).toEqual([
      { every: 60_000, for: 3_600_000 },
      { every: 300_000, for: 28_800_000 },
    ]);
  });

  it('reports an unknown key, a bad duration and a bad rule together, each at its line and column', () => {
    const source = yaml(
      'service: shop-api',
      'steps:',
      '  - run: echo hello',
      '    timout: 5s',
      '  - wait: 5 minutes',
      'rollback:',
      '  automatic: ["error_rate > 5% for 5 mins"]',
    );
    expect(formatDiagnostics(diagnosticsOf(source), source)).toBe(
      [
        "plan.yaml:4:5: unknown key 'timout' in steps[0] (did you mean 'timeout'?)",
        '   4 |     timout: 5s',
        '     |     ^~~~~~',
        '',
        'plan.yaml:5:11: expected a duration such as 500ms, 30s, 5m or 1h30m, got "5 minutes"',
        '   5 |   - wait: 5 minutes',
        '     |           ^~~~~~~~~',
        '',
        "plan.yaml:7:38: unknown unit 'mins'; use ms, s, m or h (did you mean '5m'?)",
        '   7 |   automatic: ["error_rate > 5% for 5 mins"]',
        '     |                                      ^~~~',
      ].join('\n'),
    );
  });

  it('points inside a rule written as a map key, and at the tier when the tier is wrong', () => {
    const source = yaml(
      'service: s',
      'steps: [{ wait: 1s }]',
      'rollback:',
      '  automatic:',
      '    - error_rate > 1% fro 1m: rollback',
      '    - error_rate > 1% for 1m: rolback',
    );
    expect(placed(source)).toEqual([
      "5:23 unexpected 'fro'; expected 'for …', ': tier' or the end of the rule (did you mean 'for'?)",
      `6:31 expected "warn", "pause", "reduce" or "rollback", got "rolback" (did you mean 'rollback'?)`,
    ]);
  });

  it('reports a missing required key at the map that should hold it, saying what the key is for', () => {
    const source = yaml('steps: [{ wait: 1s }]', 'monitor:', '  - every: 1m');
    expect(placed(source)).toEqual([
      "1:1 the plan needs 'service' (the service deployed; one deployment at a time per service and environment)",
      "3:5 monitor[0] needs 'for' (how long this stage lasts)",
    ]);
  });

  it('says a number needs a unit where a duration is expected', () => {
    expect(placed(yaml('service: s', 'steps: [{ wait: 30 }]'))).toEqual([
      '2:17 expected a duration such as 500ms, 30s, 5m or 1h30m, got 30: add a unit, such as 30s',
    ]);
  });

  it('names the key and the value written when a value is out of range', () => {
    expect(placed(yaml('service: shop api', 'steps: [{ wait: 1s }]'))).toEqual([
      '1:10 service must be letters, digits, ".", "_" or "-", starting with a letter or digit, got "shop api"',
    ]);
    expect(
      placed(yaml('service: s', 'steps:', '  - setWeight: 150', '  - checklist: []', '  - run: ""')),
    ).toEqual([
      '3:16 setWeight must be at most 100, got 150',
      '4:5 checklist needs at least 1 item',
      '5:10 run must not be empty, got ""',
    ]);
  });

  it('reports cross-section problems even when other parts are invalid', () => {
    const source = yaml('service: s', 'steps: [{ wait: soon }]', 'notify:', '  on: { started: [teem] }');
    expect(placed(source)).toEqual([
      '2:17 expected a duration such as 500ms, 30s, 5m or 1h30m, got "soon"',
      '4:19 no channel named "teem" under notify.channels',
    ]);
  });
});

describe('steps are a map with exactly one kind key', () => {
  it('names the kinds and suggests the one meant when none is present', () => {
    expect(placed(yaml('service: s', 'steps:', '  - runn: echo hi', '  - name: nothing to do'))).toEqual([
      `3:5 a step needs one of ${KINDS} (did you mean 'run'?)`,
      `4:5 a step needs one of ${KINDS}`,
    ]);
  });

  it('asks to split a step with two kinds, pointing at the second', () => {
    expect(placed(yaml('service: s', 'steps:', '  - run: echo hi', '    wait: 5s'))).toEqual([
      `4:5 a step has exactly one of ${KINDS}; this one has run and wait: split it into separate steps`,
    ]);
  });

  it('reports only the problems of the kind written, not of every other kind', () => {
    expect(placed(yaml('service: s', 'steps:', '  - http: { url: "http://x", method: GETT }')).length).toBe(
      1,
    );
    expect(placed(yaml('service: s', 'steps:', '  - http: { url: "http://x", method: GETT }'))[0]).toBe(
      `3:38 expected "GET", "HEAD", "POST", "PUT", "PATCH" or "DELETE", got "GETT" (did you mean 'GET'?)`,
    );
  });

  it('says which forms a value may take when its type fits none', () => {
    expect(placed(yaml('service: s', 'steps: [{ approval: 5 }]'))).toEqual([
      '2:21 expected text or a map, got 5',
    ]);
  });
});

describe('references inside strings', () => {
  it('requires every secret used to be declared, pointing at the reference', () => {
    const source = yaml(
      'service: s',
      'secrets: { DB_URL: { env: DB_URL } }',
      'steps:',
      '  - run: psql "${secrets.DB_URL}" -c "select 1" && curl "${secrets.HOOK}"',
      '  - run: echo ${secrets.DB_ULR}',
    );
    expect(placed(source)).toEqual([
      "4:58 secret 'HOOK' is not declared under secrets; declare it: secrets: { HOOK: { env: HOOK } }",
      "5:15 secret 'DB_ULR' is not declared under secrets; did you mean 'DB_URL'?",
    ]);
  });

  it('accepts the plan variables and suggests the one meant by a typo', () => {
    const source = yaml(
      'service: s',
      'steps:',
      '  - run: echo ${service} ${version} ${deployment.id} ${verison} ${HOME}',
    );
    expect(placed(source)).toEqual([
      "3:54 unknown variable '${verison}'; did you mean '${version}'?",
      "3:65 unknown variable '${HOME}'; use ${service}, ${environment}, ${version}, ${previousVersion}, ${deployment.id} or ${requestedBy} or ${secrets.NAME}; a shell variable is written $HOME",
    ]);
  });

  it('requires notify steps to name declared channels and restore steps declared backups', () => {
    const source = yaml(
      'service: s',
      'steps: [{ notify: ops }, { notify: { channels: [team, tema] } }, { restore: db }]',
      'notify: { channels: { team: { webhook: "http://127.0.0.1:9" } } }',
    );
    expect(placed(source)).toEqual([
      '2:19 no channel named "ops" under notify.channels; declared: team',
      `2:55 no channel named "tema" under notify.channels (did you mean 'team'?)`,
      '2:77 no backup named "db" in the backup section or a backup step',
    ]);
  });
});

describe('files that are not plans', () => {
  it('reports YAML syntax errors with their position', () => {
    expect(placed(yaml('service: s', 'steps:', '  - run: echo hi', '   - wait: 1s'))).toEqual([
      '4:4 invalid YAML: all sequence items must start at the same column',
    ]);
  });

  it('hints at quoting when a value with ${…} breaks a { … } map', () => {
    const [message] = placed(yaml('service: s', 'steps: [{ run: echo ${version} }]'));
    expect(message).toContain('quote values that contain ${…}');
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(placed(yaml('service: a', 'service: b', 'steps: []'))).toEqual([
      "2:1 duplicate key 'service'; each key may appear once in a map",
    ]);
  });

  it('says an empty file or a list is not a plan', () => {
    expect(placed('')[0]).toMatch(/^1:1 the plan is empty/);
    expect(placed(yaml('- a', '- b'))).toEqual([
      '1:1 a plan is a map of keys such as service: and steps:, got a list',
    ]);
  });

  it('throws GANTRY_PLAN_NOT_FOUND with a hint for a missing file', async () => {
    const error = await loadPlanFile('/nonexistent/plan.yaml').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(GantryError);
    expect((error as GantryError).code).toBe(ErrorCode.planNotFound);
    expect((error as GantryError).message).toBe('no plan file at /nonexistent/plan.yaml');
    expect((error as GantryError).hint).toContain('examples/hello-runbook.yaml');
  });
});
