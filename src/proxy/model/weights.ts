// What a weight change may ask: numbers >= 0, only running versions above 0, and something above 0 in total.

import { GantryError } from '../../errors.js';
import type { Service } from './service.js';

/** Throws GANTRY_USAGE listing every problem of `weights` for `service`. */
export function assertValidWeights(service: Service, weights: Record<string, number>): void {
  const problems: string[] = [];
  let total = 0;
  for (const [name, weight] of Object.entries(weights)) {
    const version = service.versions.get(name);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0)
      problems.push(`${name}: weight must be a number >= 0`);
    else if (!version) problems.push(`${name}: no such version`);
    else if (version.status !== 'running' && weight > 0)
      problems.push(`${name}: is ${version.status}, not running`);
    else total += weight;
  }
  if (problems.length === 0 && total <= 0) {
    problems.push(
      'the weights add up to 0: every request would get a 502 (use maintenance mode to take the service offline)',
    );
  }
  if (problems.length === 0) return;
  throw new GantryError('GANTRY_USAGE', `cannot set the weights of ${service.name}: ${problems.join('; ')}`, {
    where: service.name,
    hint: 'name running versions with weights >= 0, at least one above 0, e.g. {"v1": 99.5, "v2": 0.5}',
    context: { problems },
  });
}
