import { describe, expect, it } from 'vitest';
import { expandPlan } from './expand.js';
import { parsePlan } from './load.js';

function expand(yaml: string) {
  const parsed = parsePlan(yaml, 'plan.yaml');
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join('\n'));
  return expandPlan(parsed.plan);
}

describe('migrations on the rollback track', () => {
  it('undoes each migration, newest first, before the rollback steps', () => {
    const plan = expand(`
service: shop
backup: [{ name: db, postgres: { url: "postgres://app@db/shop" } }]
steps:
  - { name: add column, migrate: { up: "up 1", down: "down 1" } }
  - run: deploy
  - { name: drop table, migrate: { up: "up 2", irreversible: true } }
rollback:
  steps: [{ restore: db }]
`);
    expect(plan.rollback.map(({ id, kind, name }) => ({ id, kind, name }))).toEqual([
      { id: 'rollback[0]', kind: 'migrateDown', name: 'undo steps[2] (drop table)' },
      { id: 'rollback[1]', kind: 'migrateDown', name: 'undo steps[0] (add column)' },
      { id: 'rollback[2]', kind: 'restore', name: 'restore backup "db"' },
    ]);
    expect(plan.rollback[1]?.spec).toEqual({
      migration: 'steps[0]',
      migrate: {
        up: 'up 1',
        down: 'down 1',
        irreversible: false,
        env: {},
        timeout: 1_800_000,
        idempotent: false,
      },
    });
  });

  it('adds nothing to a plan without migrations, so its hash stays the same', () => {
    const plan = expand('service: shop\nsteps: [{ run: deploy }]\nrollback: { steps: [{ run: undo }] }\n');
    expect(plan.rollback.map((step) => step.kind)).toEqual(['run']);
  });
});
