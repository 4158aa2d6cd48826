// Which command changes the traffic, and with what: `setTraffic` for any split, else `switch` for a split
// that sends everything to one version (a Service selector can only point at one slot).

import { GantryError } from '../../errors.js';
import type { DeploymentInfo } from '../../steps/step.js';
import { type AppliedState, versionIn } from '../applied-state.js';
import { type Placed, setTrafficVariables, switchVariables, type Variables } from './variables.js';

export interface TrafficChange {
  info: DeploymentInfo;
  state: AppliedState;
  /** The wanted split, versions with no share left out. */
  sharesPct: Record<string, number>;
  colors: readonly string[];
  /** The plan defines `setTraffic`; otherwise only `switch`. */
  canSplit: boolean;
}

export interface TrafficCommand {
  operation: 'setTraffic' | 'switch';
  variables: Variables;
  purpose: string;
}

export function trafficVariables(change: TrafficChange): TrafficCommand {
  const { info, state, sharesPct, colors } = change;
  const placed = (version: string): Placed => ({ version, slot: versionIn(state, version)?.slot ?? '' });
  const previous =
    info.previousVersion && info.previousVersion !== info.version ? info.previousVersion : null;
  const described = Object.entries(sharesPct)
    .map(([version, share]) => `${share}% to ${version}`)
    .join(', ');
  if (change.canSplit) {
    const split = {
      sharesPct,
      fresh: placed(info.version),
      previous: previous ? placed(previous) : null,
      colors,
      slotOf: (version: string) => versionIn(state, version)?.slot,
    };
    return {
      operation: 'setTraffic',
      variables: setTrafficVariables(info, split, true),
      purpose: `send ${described}`,
    };
  }
  const receivers = Object.keys(sharesPct);
  const to = receivers[0];
  if (receivers.length !== 1 || to === undefined) {
    throw new GantryError(
      'GANTRY_TARGET',
      `cannot send ${described}: target.command has only \`switch\`, which sends all traffic to one slot`,
      { where: 'target.command', hint: 'add a `setTraffic` command to split traffic by weight' },
    );
  }
  const from = Object.entries(state.weights)
    .filter(([version, share]) => version !== to && share > 0 && versionIn(state, version))
    .sort(([, a], [, b]) => b - a)[0]?.[0];
  const target = placed(to);
  return {
    operation: 'switch',
    variables: switchVariables(info, target, from ? placed(from) : null, true),
    purpose: `switch all traffic to ${to}${target.slot ? ` (${target.slot})` : ''}`,
  };
}
