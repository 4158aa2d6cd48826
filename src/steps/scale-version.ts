// `scaleVersion`: one move of a rolling update. Growing a version starts its new instances (healthy first),
// then gives it traffic in proportion to instances; shrinking one takes its traffic away first, then drains
// the extra instances (at 0 it is stopped). Running it again finds the counts already right.

import { EVENT } from '../deployment/events.js';
import type { TargetView } from '../targets/target.js';
import type { StepHandler } from './step.js';
import {
  changeTarget,
  describeShares,
  plural,
  previousOf,
  recordWeights,
  type VersionRole,
  versionOf,
} from './target-change.js';

export interface ScaleVersionStep {
  scaleVersion: {
    version: VersionRole;
    instances: number;
    /** The instance count of the service, for the step's name: "2 of 4". */
    of: number;
  };
  name?: string;
}

export const scaleVersionHandler: StepHandler<ScaleVersionStep> = {
  kind: 'scaleVersion',
  idempotent: () => true,
  async run(context, spec) {
    const { version: role, instances } = spec.scaleVersion;
    const version = versionOf(context, role);
    if (!version) return { ok: true, result: { scaled: null, reason: 'there is no previous version' } };
    const fresh = context.deployment.version;
    const previous = previousOf(context);
    await changeTarget(context, `scale ${version} to ${plural(instances, 'instance')}`, async (target) => {
      const view = await target.describe();
      const counts = {
        [fresh]: countOf(view, fresh),
        ...(previous ? { [previous]: countOf(view, previous) } : {}),
      };
      const current = counts[version] ?? 0;
      // A rolling update only ever shrinks the previous version: one that already has fewer instances keeps them.
      const wanted = role === 'previous' ? Math.min(instances, current) : instances;
      const growing = wanted >= current;
      counts[version] = wanted;
      const sharesPct = proportional(counts);
      if (growing) {
        if (wanted > 0) await target.ensureVersion(version, wanted, { asRunning: role === 'previous' });
        if (sharesPct) await target.setTraffic(sharesPct);
      } else {
        if (sharesPct) await target.setTraffic(sharesPct);
        if (wanted === 0) await target.stopVersion(version);
        else await target.ensureVersion(version, wanted, { asRunning: true });
      }
      if (sharesPct) {
        context.log(`traffic now ${describeShares(sharesPct)}`);
        await recordWeights(context, sharesPct);
      }
    });
    await context.record(EVENT.versionScaled, { version, instances });
    return { ok: true, result: { version, instances } };
  },
};

function countOf(view: TargetView, version: string): number {
  return view.versions.find((v) => v.version === version)?.instances ?? 0;
}

/** Traffic in proportion to instance counts, or undefined when no version has an instance. */
export function proportional(counts: Record<string, number>): Record<string, number> | undefined {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  if (total === 0) return undefined;
  return Object.fromEntries(
    Object.entries(counts).map(([version, n]) => [version, Math.round((n / total) * 100_000) / 1000]),
  );
}
