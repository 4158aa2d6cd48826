// Conditions a run waits on, re-checked whenever its state changes; deadlines and aborts end them early.

import type { DeploymentState } from '../deployment/state.js';

export class Waiters {
  private readonly checks = new Set<() => void>();

  /** Re-checks every waiting condition; the run calls it after each state change. */
  wake(): void {
    for (const check of [...this.checks]) check();
  }

  until<T>(
    state: () => DeploymentState,
    check: (state: DeploymentState) => T | undefined,
    options: { deadline?: Date; signal?: AbortSignal },
  ): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      let timer: { clear(): void } | undefined;
      const finish = (value: T | undefined, error?: unknown) => {
        this.checks.delete(evaluate);
        timer?.clear();
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(value);
      };
      const evaluate = () => {
        const value = check(state());
        if (value !== undefined) finish(value);
      };
      const onAbort = () => finish(undefined, options.signal?.reason ?? new Error('aborted'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.deadline) timer = timerAt(options.deadline, () => finish(undefined));
      this.checks.add(evaluate);
      evaluate();
    });
  }
}

/** Sleeps until a time or until the signal aborts (then throws). */
export function sleepUntil(at: Date, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = timerAt(at, done);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      timer.clear();
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** setTimeout for any distance in the future (Node's timers overflow past ~24.8 days). */
export function timerAt(at: Date, callback: () => void): { clear(): void } {
  let handle: NodeJS.Timeout;
  const arm = () => {
    const remaining = at.getTime() - Date.now();
    handle = setTimeout(
      remaining > MAX_TIMER_MS ? arm : callback,
      Math.max(0, Math.min(remaining, MAX_TIMER_MS)),
    );
  };
  arm();
  return { clear: () => clearTimeout(handle) };
}
