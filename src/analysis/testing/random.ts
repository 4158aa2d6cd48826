// Seeded random draws for the simulations that check the judges' error rates (tests) and detection
// times (bench/detection.ts): the same seed gives the same traffic.

import binomial from '@stdlib/random-base-binomial';
import lognormal from '@stdlib/random-base-lognormal';
import poisson from '@stdlib/random-base-poisson';

export interface Random {
  /** Successes in n trials of probability p. */
  binomial(n: number, p: number): number;
  /** A count with mean λ. */
  poisson(lambda: number): number;
  /** A latency in ms whose median is `medianMs` (log-normal with log-sd `sigma`). */
  latency(medianMs: number, sigma?: number): number;
}

export function seededRandom(seed: number): Random {
  const drawBinomial = binomial.factory({ seed });
  const drawPoisson = poisson.factory({ seed: seed + 1 });
  const drawStandard = lognormal.factory(0, 1, { seed: seed + 2 });
  return {
    binomial: (n, p) => (n <= 0 || p <= 0 ? 0 : p >= 1 ? n : drawBinomial(n, p)),
    poisson: (lambda) => (lambda <= 0 ? 0 : drawPoisson(lambda)),
    // exp(σ·Z) = (e^Z)^σ, so one standard log-normal stream serves every σ.
    latency: (medianMs, sigma = 0.5) => medianMs * drawStandard() ** sigma,
  };
}
