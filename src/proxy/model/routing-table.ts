// The weighted choice of a version: cumulative weights over the versions that may take traffic, rebuilt on
// every change so a request costs one random number and a short scan.

export interface RoutingTable<V> {
  entries: V[];
  cumulative: number[];
  total: number;
}

export function buildRoutingTable<V>(weighted: { item: V; weight: number }[]): RoutingTable<V> {
  const entries: V[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const { item, weight } of weighted) {
    if (!(weight > 0)) continue;
    total += weight;
    entries.push(item);
    cumulative.push(total);
  }
  return { entries, cumulative, total };
}

/** The entry whose cumulative range holds `random * total` (`random` in [0, 1)); undefined when empty. */
export function pickWeighted<V>(table: RoutingTable<V>, random: number): number {
  const target = random * table.total;
  const { cumulative } = table;
  for (let i = 0; i < cumulative.length; i++) if (target < (cumulative[i] as number)) return i;
  return cumulative.length - 1;
}
