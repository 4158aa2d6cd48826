// "Did you mean …?" for names a person mistyped: keys, step kinds, tiers, roles, metrics, variables.
// Case is ignored when comparing, so `Service` suggests `service`.

/** The candidate nearest to `word` within `maxDistance` edits, or undefined when none is that near. */
export function nearest(word: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const edits = typoDistance(lower, candidate.toLowerCase());
    if (edits < bestDistance) {
      best = candidate;
      bestDistance = edits;
    }
  }
  // A one- or two-letter word is within two edits of everything short; only suggest what is clearly near.
  const limit = Math.min(maxDistance, Math.max(1, Math.floor(lower.length / 2)));
  return bestDistance <= limit ? best : undefined;
}

/** " (did you mean 'x'?)" or "" — to append to a message. */
export function didYouMean(word: string, candidates: readonly string[], maxDistance = 2): string {
  const suggestion = nearest(word, candidates, maxDistance);
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}

/**
 * Edits between two words where swapping two neighbours counts as one edit (optimal string alignment):
 * plain Levenshtein counts "fro" → "for" as two, yet a swap is the commonest typo.
 */
export function typoDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  const at = (i: number, j: number) => (rows[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}
