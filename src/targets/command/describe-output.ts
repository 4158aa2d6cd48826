// Reads what a plan's `describe` command prints: the data plane's state as JSON. What it reports wins over
// Gantry's record; what it leaves out (a color, the weights) is taken from the record.

import { z } from 'zod';
import { GantryError } from '../../errors.js';
import type { AppliedState, AppliedVersion } from '../applied-state.js';

const describedVersion = z.object({
  version: z.string().min(1),
  color: z.string().optional(),
  instances: z.number().int().min(0).optional(),
  healthyInstances: z.number().int().min(0).optional(),
  trafficPct: z.number().min(0).max(100).optional(),
  status: z.enum(['starting', 'running', 'failed']).optional(),
});

const described = z.object({
  versions: z.array(describedVersion),
  headerRoute: z.string().nullable().optional(),
  maintenance: z.boolean().optional(),
});

export type Described = z.output<typeof described>;

export function parseDescribed(output: string, source: string): Described {
  let json: unknown;
  try {
    json = JSON.parse(output);
  } catch {
    throw new GantryError(
      'GANTRY_TARGET',
      `${source} printed no JSON: ${output.trim().slice(0, 200) || '(nothing)'}`,
      {
        where: source,
        hint: 'print only JSON such as {"versions": [{"version": "v2", "color": "green", "trafficPct": 100}]}, e.g. with kubectl … -o json | jq',
      },
    );
  }
  const parsed = described.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GantryError(
      'GANTRY_TARGET',
      `${source} printed JSON Gantry cannot read: ${issue ? `${issue.path.join('.') || 'the top level'}: ${issue.message}` : 'unknown shape'}`,
      { where: source, hint: 'see the shape of `describe` in docs/targets.md' },
    );
  }
  return parsed.data;
}

/** The record brought in line with what the data plane says runs now. */
export function mergeDescribed(record: AppliedState, live: Described): AppliedState {
  const versions = live.versions.map((v): AppliedVersion => {
    const known = record.versions.find((r) => r.version === v.version);
    const instances = v.instances ?? known?.instances ?? 0;
    const ready =
      v.healthyInstances === undefined ? undefined : v.healthyInstances >= instances ? 'running' : 'starting';
    return {
      version: v.version,
      slot: v.color ?? known?.slot ?? '',
      instances,
      status: v.status ?? ready ?? known?.status ?? 'running',
      ...(known?.startedWith ? { startedWith: known.startedWith } : {}),
    };
  });
  const weights: Record<string, number> = {};
  for (const v of live.versions) {
    const share = v.trafficPct ?? record.weights[v.version];
    if (share !== undefined && share > 0) weights[v.version] = share;
  }
  return {
    versions,
    weights,
    headerRoute: live.headerRoute === undefined ? record.headerRoute : live.headerRoute,
    maintenance:
      live.maintenance === undefined
        ? record.maintenance
        : { ...record.maintenance, enabled: live.maintenance },
  };
}
