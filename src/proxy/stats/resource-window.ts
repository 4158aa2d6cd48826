// CPU and resident memory of one instance, one sample a second, in a ring of `capacity` seconds.

export interface ResourceSums {
  samples: number;
  maxMemoryBytes: number;
  maxCpuRatio: number;
  cpuRatioSum: number;
}

export function emptyResourceSums(): ResourceSums {
  return { samples: 0, maxMemoryBytes: 0, maxCpuRatio: 0, cpuRatioSum: 0 };
}

export class ResourceWindow {
  private readonly stamps: Float64Array;
  private readonly cpuRatio: Float32Array;
  private readonly memoryBytes: Float64Array;
  latestCpuRatio = 0;
  latestMemoryBytes = 0;

  constructor(readonly capacity = 3600) {
    this.stamps = new Float64Array(capacity).fill(-1);
    this.cpuRatio = new Float32Array(capacity);
    this.memoryBytes = new Float64Array(capacity);
  }

  record(sec: number, cpuRatio: number, memoryBytes: number): void {
    const slot = sec % this.capacity;
    this.stamps[slot] = sec;
    this.cpuRatio[slot] = cpuRatio;
    this.memoryBytes[slot] = memoryBytes;
    this.latestCpuRatio = cpuRatio;
    this.latestMemoryBytes = memoryBytes;
  }

  addTo(sums: ResourceSums, sinceSec: number, untilSec: number): void {
    const from = Math.max(sinceSec, untilSec - this.capacity + 1);
    for (let sec = from; sec <= untilSec; sec++) {
      const slot = sec % this.capacity;
      if (this.stamps[slot] !== sec) continue;
      const cpu = this.cpuRatio[slot] as number;
      const memory = this.memoryBytes[slot] as number;
      sums.samples++;
      sums.cpuRatioSum += cpu;
      if (cpu > sums.maxCpuRatio) sums.maxCpuRatio = cpu;
      if (memory > sums.maxMemoryBytes) sums.maxMemoryBytes = memory;
    }
  }
}
