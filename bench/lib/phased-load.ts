// Constant load through autocannon for as long as a scenario runs, every answer counted against the phase
// in progress when it arrived (a deployment, a switch, a rollback): failures per phase, not just in total.

import autocannon from 'autocannon';

export interface PhaseCounts {
  phase: string;
  requests: number;
  /** Non-2xx answers, request errors and timeouts. */
  failed: number;
  durationMs: number;
}

export interface PhasedLoad {
  /** Counts what arrives from now on under `name`. */
  phase(name: string): void;
  stop(): Promise<PhaseCounts[]>;
}

export function startPhasedLoad(options: {
  url: string;
  ratePerSec: number;
  connections: number;
}): PhasedLoad {
  const phases: PhaseCounts[] = [];
  let current: PhaseCounts = { phase: 'warm-up', requests: 0, failed: 0, durationMs: 0 };
  let since = Date.now();
  phases.push(current);
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    overallRate: options.ratePerSec,
    duration: 3600,
    timeout: 10,
    pipelining: 1,
  });
  instance.on('response', (_client, status) => {
    current.requests++;
    if (status < 200 || status >= 300) current.failed++;
  });
  instance.on('reqError', () => {
    current.requests++;
    current.failed++;
  });
  const done = new Promise<void>((resolve) => instance.on('done', () => resolve()));
  const close = () => {
    current.durationMs = Date.now() - since;
  };
  return {
    phase(name) {
      close();
      current = { phase: name, requests: 0, failed: 0, durationMs: 0 };
      since = Date.now();
      phases.push(current);
    },
    async stop() {
      close();
      instance.stop();
      await done;
      return phases;
    },
  };
}
