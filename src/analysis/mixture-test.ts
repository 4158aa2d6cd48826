// Always-valid one-sided tests and confidence bounds for a proportion (an error rate, a share of slow
// requests). The statistic is a mixture of likelihood ratios against alternatives on a fixed grid of odds
// ratios; under the null it is a nonnegative supermartingale, so by Ville's inequality the chance it EVER
// reaches 1/α is at most α — however often it is looked at (Robbins 1970; Howard et al. 2021).

/** Alternatives: the odds of the proportion times these factors (1.25× … 100×), equally weighted. */
export const ODDS_RATIOS = [1.25, 1.5, 2, 3, 5, 10, 30, 100] as const;

export type Side = 'above' | 'below';

/**
 * log of the mixture likelihood ratio against "the proportion is at most p0" (side `above`) or "at least p0"
 * (side `below`), after `successes` of `trials`. Reaching log(1/α) rejects that null at level α.
 */
export function logMixtureRatio(trials: number, successes: number, p0: number, side: Side): number {
  if (trials <= 0) return 0;
  const failures = trials - successes;
  if (side === 'above') {
    if (p0 <= 0) return successes > 0 ? Number.POSITIVE_INFINITY : 0;
    if (p0 >= 1) return Number.NEGATIVE_INFINITY;
  } else {
    if (p0 >= 1) return failures > 0 ? Number.POSITIVE_INFINITY : 0;
    if (p0 <= 0) return Number.NEGATIVE_INFINITY;
  }
  const odds = p0 / (1 - p0);
  const terms = ODDS_RATIOS.map((ratio) => {
    const q = shiftedProportion(odds, side === 'above' ? ratio : 1 / ratio);
    return successes * Math.log(q / p0) + failures * Math.log((1 - q) / (1 - p0));
  });
  return logMeanExp(terms);
}

function shiftedProportion(odds: number, ratio: number): number {
  const shifted = odds * ratio;
  return shifted / (1 + shifted);
}

/** log of the mean of exp(terms), without overflow. */
export function logMeanExp(terms: readonly number[]): number {
  const max = Math.max(...terms);
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (const term of terms) sum += Math.exp(term - max);
  return max + Math.log(sum / terms.length);
}

/**
 * The lower confidence bound of a proportion at level α, valid at every look at once: the smallest p0 that
 * the `above` test does not reject. 0 when there is no evidence at all.
 */
export function lowerBound(trials: number, successes: number, alpha: number): number {
  if (trials <= 0 || successes <= 0) return 0;
  const limit = Math.log(1 / alpha);
  const rejects = (p: number) => logMixtureRatio(trials, successes, p, 'above') >= limit;
  return bisect(successes / trials, rejects, 'down');
}

/** The upper confidence bound at level α, valid at every look: the largest p0 the `below` test keeps. */
export function upperBound(trials: number, successes: number, alpha: number): number {
  if (trials <= 0 || successes >= trials) return 1;
  const limit = Math.log(1 / alpha);
  const rejects = (p: number) => logMixtureRatio(trials, successes, p, 'below') >= limit;
  return bisect(successes / trials, rejects, 'up');
}

/**
 * From the estimate (never rejected: every alternative fits the data worse than the estimate), walks down
 * (or up) in log-odds to the edge of the region the test keeps. 60 halvings reach double precision.
 */
function bisect(estimate: number, rejects: (p: number) => boolean, direction: 'down' | 'up'): number {
  const logit = (p: number) => Math.log(p / (1 - p));
  const inverse = (x: number) => 1 / (1 + Math.exp(-x));
  let kept = logit(Math.min(Math.max(estimate, 1e-12), 1 - 1e-12));
  let rejected = direction === 'down' ? -40 : 40;
  if (!rejects(inverse(rejected))) return direction === 'down' ? 0 : 1;
  for (let i = 0; i < 60; i++) {
    const middle = (kept + rejected) / 2;
    if (rejects(inverse(middle))) rejected = middle;
    else kept = middle;
  }
  return inverse(kept);
}
