// A growing, sorted set of numbers (latencies) that takes batches: each batch is sorted and merged in, so
// keeping it sorted costs O(n) per batch instead of a sort of everything. Capped so memory stays bounded.

export class SortedSamples {
  private values = new Float64Array(1024);
  private size = 0;

  /** Most samples kept; later ones are dropped (the test then simply stops gaining evidence). */
  constructor(readonly capacity = 200_000) {}

  get length(): number {
    return this.size;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  add(batch: readonly number[]): void {
    const room = this.capacity - this.size;
    if (room <= 0 || batch.length === 0) return;
    const incoming = Float64Array.from(batch.slice(0, room)).sort();
    const merged = new Float64Array(Math.max(this.values.length, nextPow2(this.size + incoming.length)));
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.size && j < incoming.length) {
      merged[k++] =
        (this.values[i] as number) <= (incoming[j] as number)
          ? (this.values[i++] as number)
          : (incoming[j++] as number);
    }
    while (i < this.size) merged[k++] = this.values[i++] as number;
    while (j < incoming.length) merged[k++] = incoming[j++] as number;
    this.values = merged;
    this.size = k;
  }

  /** A view of the sorted samples (valid until the next add). */
  sorted(): Float64Array {
    return this.values.subarray(0, this.size);
  }
}

function nextPow2(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}
