// Which slot (blue or green) a version runs in on a data plane with two: the one it already has, else one
// nobody uses, else one whose version gets no traffic (a failed or rolled-back one). Never the slot of the
// version serving users, and never a guess when the record does not say where that version runs.

import { GantryError } from '../errors.js';
import { type AppliedState, trafficOf, versionIn } from './applied-state.js';

export interface SlotRequest {
  version: string;
  /** The version serving before this deployment, whose slot must not be taken. */
  previous: string | null;
  slots: readonly string[];
  /** The service, for messages: "shop-api (production)". */
  where: string;
}

export function slotFor(state: AppliedState, request: SlotRequest): string {
  const { version, previous, slots, where } = request;
  const own = versionIn(state, version);
  if (own && slots.includes(own.slot)) return own.slot;
  if (previous && previous !== version && !versionIn(state, previous)) {
    throw new GantryError(
      'GANTRY_TARGET',
      `cannot choose a slot for ${version} of ${where}: Gantry's record does not say which of ${slots.join(' and ')} runs ${previous}, the version serving now`,
      {
        where,
        hint: "add a `describe` command that prints each version's color, or deploy once with a strategy that replaces in place (recreate)",
      },
    );
  }
  const others = state.versions.filter((v) => v.version !== version);
  const free = slots.find((slot) => !others.some((v) => v.slot === slot));
  if (free !== undefined) return free;
  const idle = slots.find((slot) =>
    others
      .filter((v) => v.slot === slot)
      .every(
        (v) => v.version !== previous && state.headerRoute !== v.version && trafficOf(state, v.version) === 0,
      ),
  );
  if (idle !== undefined) return idle;
  const taken = others.map(
    (v) =>
      `${v.slot || 'its slot'} runs ${v.version} (${Math.round(trafficOf(state, v.version))}% of traffic)`,
  );
  throw new GantryError(
    'GANTRY_TARGET',
    `cannot choose a slot for ${version} of ${where}: ${taken.join(', ')}`,
    { where, hint: 'finish or roll back the deployment that uses both slots, then deploy again' },
  );
}
