// Drafts of the traffic steps strategies generate, one constructor per kind, so every strategy spells them
// the same way. Names come from describe-step.ts unless a strategy has a better word (a switch).

import type { StepDraft } from '../expand.js';
import { fromSpec } from '../expand.js';
import type { Section } from '../planned-step.js';
import type { StepSpec } from '../schema/steps.js';

type Role = 'new' | 'previous';

export function startVersion(instances: number): StepDraft {
  return { section: 'strategy', kind: 'startVersion', spec: { startVersion: { instances } } };
}

export function setWeight(weightPct: number, name?: string): StepDraft {
  return { section: 'strategy', kind: 'setWeight', spec: { setWeight: weightPct }, name };
}

export function headerRoute(on: boolean, name?: string): StepDraft {
  return { section: 'strategy', kind: 'headerRoute', spec: { headerRoute: on }, name };
}

export function maintenance(section: Section, enabled: boolean): StepDraft {
  return {
    section,
    kind: 'maintenance',
    spec: { maintenance: { enabled, message: undefined, retryAfter: undefined } },
  };
}

export function scaleVersion(version: Role, instances: number, of: number): StepDraft {
  return { section: 'strategy', kind: 'scaleVersion', spec: { scaleVersion: { version, instances, of } } };
}

export function stopVersion(
  section: Section,
  version: Role,
  options: { keepWarm?: number; force?: boolean } = {},
): StepDraft {
  return { section, kind: 'stopVersion', spec: { stopVersion: { version, ...options } } };
}

export function restoreTraffic(instances: number): StepDraft {
  return { section: 'rollback', kind: 'restoreTraffic', spec: { restoreTraffic: { instances } } };
}

/** A step the plan wrote inside the strategy; `gantry promote --full` skips it unless it must run. */
export function written(spec: StepSpec, options: { alwaysRuns?: boolean } = {}): StepDraft {
  const draft = fromSpec('strategy', spec);
  return options.alwaysRuns || convergesTraffic(spec) ? draft : { ...draft, skippedOnFullPromotion: true };
}

/** Steps that take traffic toward its end state: they run even when the rest is skipped by a full promotion. */
function convergesTraffic(spec: StepSpec): boolean {
  if ('setWeight' in spec) return spec.setWeight === 100;
  if ('headerRoute' in spec) return spec.headerRoute === false;
  return 'maintenance' in spec;
}
