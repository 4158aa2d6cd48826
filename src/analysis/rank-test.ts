// Always-valid comparison of two latency distributions: the Mann-Whitney statistic estimates θ, how much
// more often a canary request is slower than a stable one than not (P(canary > stable) − ½). Its estimate is
// close to normal with a known variance, so a normal mixture over θ (the mSPRT of Johari, Pekelis & Walsh
// 2017) turns it into a test that may be looked at after every batch of requests.

/** Spread of the mixture over θ: tuned to effects of 0.05–0.2 (P(slower) between 55% and 70%). */
export const EFFECT_SCALE = 0.1;

export interface RankComparison {
  /** P(canary > transformed stable) − ½, ties counting half. */
  theta: number;
  /** log of the mixture likelihood ratio against θ = 0; rejects at log(1/α). */
  logRatio: number;
  canarySamples: number;
  stableSamples: number;
}

/**
 * Compares sorted canary latencies with sorted stable latencies transformed as `scale × x + offset` (the
 * rule's right side), both ascending.
 */
export function compareRanks(
  canarySorted: ArrayLike<number>,
  stableSorted: ArrayLike<number>,
  scale = 1,
  offset = 0,
): RankComparison {
  const n1 = canarySorted.length;
  const n2 = stableSorted.length;
  if (n1 === 0 || n2 === 0) return { theta: 0, logRatio: 0, canarySamples: n1, stableSamples: n2 };
  const u = mannWhitneyU(canarySorted, stableSorted, scale, offset);
  const theta = u / (n1 * n2) - 0.5;
  const variance = (n1 + n2 + 1) / (12 * n1 * n2);
  const tau2 = EFFECT_SCALE ** 2;
  const logRatio =
    0.5 * Math.log(variance / (variance + tau2)) +
    (theta * theta * tau2) / (2 * variance * (variance + tau2));
  return { theta, logRatio, canarySamples: n1, stableSamples: n2 };
}

/** U = Σ over canary values of (stable values below it) + ½ (stable values equal to it), in one pass. */
export function mannWhitneyU(
  canarySorted: ArrayLike<number>,
  stableSorted: ArrayLike<number>,
  scale = 1,
  offset = 0,
): number {
  const stable = (j: number) => scale * (stableSorted[j] as number) + offset;
  let below = 0;
  let upTo = 0;
  let u = 0;
  for (let i = 0; i < canarySorted.length; i++) {
    const x = canarySorted[i] as number;
    while (below < stableSorted.length && stable(below) < x) below++;
    if (upTo < below) upTo = below;
    while (upTo < stableSorted.length && stable(upTo) <= x) upTo++;
    u += below + (upTo - below) / 2;
  }
  return u;
}
