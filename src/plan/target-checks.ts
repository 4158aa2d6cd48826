// Checks of what a strategy and its steps ask of the plan's data plane, which no single field's schema can
// make: a canary on a command target needs `setTraffic`, a maintenance step needs `maintenance`, a blue-green
// on nginx needs two slots. Reads the raw plan defensively, so every problem is reported at once.

import { commandTargetChecks } from './command-target-checks.js';
import { isMap } from './schema-walk.js';

export type Path = (string | number)[];
export type Issue = (path: Path, message: string) => void;

export function targetChecks(plan: Record<string, unknown>, issue: Issue): void {
  const target = isMap(plan.target) ? plan.target : {};
  if (isMap(target.command)) commandTargetChecks(plan, target.command, issue);
  if (isMap(target.nginx)) nginxTargetChecks(plan, target.nginx, issue);
}

function nginxTargetChecks(
  plan: Record<string, unknown>,
  nginx: Record<string, unknown>,
  issue: Issue,
): void {
  const strategy = isMap(plan.strategy) ? plan.strategy : {};
  const kind = Object.keys(strategy)[0];
  const slots = isMap(nginx.slots) ? nginx.slots : undefined;
  if (!slots || !kind) return;
  const names = Object.keys(slots);
  if (names.length === 1 && kind !== 'recreate') {
    issue(
      ['target', 'nginx', 'slots'],
      `${kind} runs the new version beside the previous one, so nginx needs two slots (such as blue and green); one slot serves recreate only`,
    );
  }
  const counts = Object.values(slots).map((slot) =>
    isMap(slot) && Array.isArray(slot.servers) ? slot.servers.length : 0,
  );
  if (kind === 'rolling' && new Set(counts).size > 1) {
    issue(
      ['target', 'nginx', 'slots'],
      `rolling moves one server of each slot at a time, so both slots need as many servers (${names.map((name, i) => `${name} has ${counts[i]}`).join(', ')})`,
    );
  }
}
