import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatDiagnostics } from '../src/plan/diagnostics.js';
import { loadPlanFile } from '../src/plan/load.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

describe('example plans', () => {
  const files = yamlFiles(EXAMPLES);

  it('include the DESIGN.md plan and the hello runbook', () => {
    const names = files.map((file) => relative(EXAMPLES, file));
    expect(names).toContain('design-example.yaml');
    expect(names).toContain('hello-runbook.yaml');
  });

  it.each(files.map((file) => [relative(EXAMPLES, file), file]))(
    '%s is a valid plan',
    async (_name, file) => {
      const loaded = await loadPlanFile(file);
      if (!loaded.ok) {
        expect.fail(`${file} is invalid:\n${formatDiagnostics(loaded.diagnostics, loaded.source)}`);
      }
    },
  );
});

// What an editor does with schema/plan.schema.json (yaml-language-server checks plans as they are typed):
// a standard JSON Schema validator, in strict mode, must accept every example and refuse broken plans.
describe('schema/plan.schema.json in a JSON Schema validator', () => {
  const schema = JSON.parse(readFileSync(join(EXAMPLES, '..', 'schema', 'plan.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  const errorsOf = (plan: unknown) => (validate(plan) ? [] : (validate.errors ?? []));

  it.each(yamlFiles(EXAMPLES).map((file) => [relative(EXAMPLES, file), file]))(
    '%s is accepted',
    (_name, file) => {
      expect(errorsOf(parse(readFileSync(file, 'utf8')))).toEqual([]);
    },
  );

  // Each case is the demo plan with one defect, found where it is.
  const demo = () => parse(readFileSync(join(EXAMPLES, 'demo', 'plan.yaml'), 'utf8'));
  type DemoPlan = ReturnType<typeof demo>;
  it.each([
    [
      'an unknown top-level key',
      (plan: DemoPlan) => Object.assign(plan, { stepz: [] }),
      '',
      'additionalProperties',
    ],
    [
      'a health path without its leading slash',
      (plan: DemoPlan) => Object.assign(plan.target.local.health, { path: 'health' }),
      '/target/local/health/path',
      'pattern',
    ],
    [
      'a count of instances written as a word',
      (plan: DemoPlan) => Object.assign(plan.target.local, { instances: 'two' }),
      '/target/local/instances',
      'type',
    ],
    [
      'a canary weight given as a list',
      (plan: DemoPlan) => plan.strategy.canary.steps.splice(0, 1, { setWeight: [10] }),
      '/strategy/canary/steps/0/setWeight',
      'type',
    ],
  ])('refuses %s', (_name, breakIt, path, keyword) => {
    const plan = demo();
    expect(errorsOf(plan)).toEqual([]);
    breakIt(plan);
    const found = errorsOf(plan).map((error) => `${error.instancePath} ${error.keyword}`);
    expect(found).toContain(`${path} ${keyword}`);
  });
});
