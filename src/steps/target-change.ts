// What every traffic step shares: the plan's target, which versions play which role, and the rule that a
// change to the data plane is journaled before it is made (intent) and after (result). A crash in between
// leaves the intent on record; the step is idempotent, so the next engine runs it again and converges.

import { EVENT } from '../deployment/events.js';
import { GantryError } from '../errors.js';
import type { Target } from '../targets/target.js';
import type { StepContext } from './step.js';

/** `new` is the version being deployed; `previous` the one it replaces. */
export type VersionRole = 'new' | 'previous';

export function targetOf(context: StepContext): Target {
  const target = context.services.target;
  if (!target) {
    throw new GantryError('GANTRY_TARGET', `${context.step.id} changes traffic, but the plan has no target`, {
      where: context.step.id,
      hint: 'add a `target:` (such as `target: { local: { run: …, listen: … } }`) with a strategy',
    });
  }
  return target;
}

/** The version this deployment replaces, or null when there is none (a first deployment, or a redeploy). */
export function previousOf(context: StepContext): string | null {
  const { version, previousVersion } = context.deployment;
  return previousVersion && previousVersion !== version ? previousVersion : null;
}

export function versionOf(context: StepContext, role: VersionRole): string | null {
  return role === 'new' ? context.deployment.version : previousOf(context);
}

/** Journals the intent, applies it, and returns what `apply` returned; the caller journals the result. */
export async function changeTarget<T>(
  context: StepContext,
  change: string,
  apply: (target: Target) => Promise<T>,
): Promise<T> {
  const target = targetOf(context);
  await context.record(EVENT.targetChanging, { change });
  context.log(`changing the data plane: ${change}`);
  return apply(target);
}

/** Each version's share for `weightPct` on the new version; all of it when there is no previous version. */
export function sharesFor(context: StepContext, weightPct: number): Record<string, number> {
  const { version } = context.deployment;
  const previous = previousOf(context);
  if (!previous) return { [version]: 100 };
  return { [previous]: round(100 - weightPct), [version]: weightPct };
}

export function describeShares(sharesPct: Record<string, number>): string {
  return Object.entries(sharesPct)
    .map(([version, pct]) => `${round(pct)}% to ${version}`)
    .join(', ');
}

/** Journals the split now in place. */
export async function recordWeights(context: StepContext, sharesPct: Record<string, number>): Promise<void> {
  const weightPct = round(sharesPct[context.deployment.version] ?? 0);
  await context.record(EVENT.weightSet, { weightPct, sharesPct });
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function round(pct: number): number {
  return Math.round(pct * 1000) / 1000;
}
