// Samples CPU and resident memory of every live instance once a second into its statistics.

import type { Instance } from '../model/instance.js';
import { CLOCK_TICKS_PER_SEC, readTreeUsage } from './proc-stat.js';

interface Previous {
  pid: number;
  cpuTicks: number;
  atMs: number;
}

export class ResourceSampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly previous = new WeakMap<Instance, Previous>();
  private busy = false;

  constructor(
    private readonly instances: () => Iterable<Instance>,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    if (process.platform !== 'linux') return;
    this.timer = setInterval(() => void this.sampleAll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sampleAll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const live = [...this.instances()].filter(
        (i) => i.pid !== null && i.status !== 'stopped' && i.status !== 'crashed',
      );
      await Promise.all(live.map((instance) => this.sample(instance)));
    } finally {
      this.busy = false;
    }
  }

  private async sample(instance: Instance): Promise<void> {
    const pid = instance.pid as number;
    const usage = await readTreeUsage(pid);
    if (!usage) return;
    const nowMs = Date.now();
    const before = this.previous.get(instance);
    this.previous.set(instance, { pid, cpuTicks: usage.cpuTicks, atMs: nowMs });
    // The first sample of a process has nothing to compare with; its CPU reads as 0 for that second.
    let cpuRatio = 0;
    if (before && before.pid === pid && nowMs > before.atMs) {
      const cpuSec = Math.max(0, usage.cpuTicks - before.cpuTicks) / CLOCK_TICKS_PER_SEC;
      cpuRatio = cpuSec / ((nowMs - before.atMs) / 1000);
    }
    instance.stats.resources.record(Math.floor(nowMs / 1000), cpuRatio, usage.rssBytes);
  }
}
