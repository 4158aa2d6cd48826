// How long to wait before restarting a crashed instance: exponential, capped, forgiven after a healthy run.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** An instance that stayed healthy this long before crashing starts again from `baseMs`. */
  forgiveAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, forgiveAfterMs: 60_000 };

/** Delay before restart number `attempt` (1-based) of a run of consecutive crashes. */
export function restartDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}
