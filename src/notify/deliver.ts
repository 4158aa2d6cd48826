// Sends an outgoing HTTP request with a timeout and a few retries. A failure is a record, never an exception.

import { toError } from '../errors.js';
import type { OutgoingRequest } from './notification.js';

export interface Delivery {
  ok: boolean;
  attempts: number;
  status?: number;
  error?: string;
}

export interface DeliverOptions {
  attempts: number;
  timeoutMs: number;
  backoffMs: number;
  signal?: AbortSignal;
}

const DEFAULTS: DeliverOptions = { attempts: 3, timeoutMs: 5_000, backoffMs: 250 };

export function deliver(request: OutgoingRequest, options: Partial<DeliverOptions> = {}): Promise<Delivery> {
  const { timeoutMs, signal } = { ...DEFAULTS, ...options };
  return retrying((attempt) => attemptOnce(request, timeoutMs, attempt, signal), options);
}

/** Runs attempts until one succeeds, the attempts run out or the signal aborts; backs off in between. */
export async function retrying(
  attemptOnce: (attempt: number) => Promise<Delivery>,
  options: Partial<DeliverOptions> = {},
): Promise<Delivery> {
  const { attempts, backoffMs, signal } = { ...DEFAULTS, ...options };
  let last: Delivery = { ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    last = await attemptOnce(attempt);
    if (last.ok || signal?.aborted) return last;
    if (attempt < attempts)
      await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
  }
  return last;
}

async function attemptOnce(
  request: OutgoingRequest,
  timeoutMs: number,
  attempt: number,
  signal?: AbortSignal,
): Promise<Delivery> {
  try {
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    await response.arrayBuffer();
    if (response.ok) return { ok: true, attempts: attempt, status: response.status };
    return {
      ok: false,
      attempts: attempt,
      status: response.status,
      error: `receiver answered ${response.status}`,
    };
  } catch (thrown) {
    const error = toError(thrown);
    const reason =
      error.name === 'TimeoutError' ? `no answer within ${timeoutMs}ms` : describeFetchError(error);
    return { ok: false, attempts: attempt, error: reason };
  }
}

function describeFetchError(error: Error): string {
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return cause?.message ? `${error.message}: ${cause.message}` : error.message;
}
