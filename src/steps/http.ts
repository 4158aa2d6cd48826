// `http`: a request whose status, headers, JSON body subset, text and latency must match expectations.

import { isDeepStrictEqual } from 'node:util';
import { toError } from '../errors.js';
import type { HttpStep } from '../plan/schema/steps.js';
import { failure, type StepContext, type StepHandler, type StepResult } from './step.js';

export const httpHandler: StepHandler<HttpStep> = {
  kind: 'http',
  idempotent: (spec) => spec.http.method === 'GET' || spec.http.method === 'HEAD',
  retryPolicy: (spec) => ({ retries: spec.retries, backoffMs: spec.backoff }),
  run: checkHttp,
};

async function checkHttp(context: StepContext, spec: HttpStep): Promise<StepResult> {
  const request = context.render(spec.http);
  const started = performance.now();
  let response: Response;
  let body: string;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: typeof request.body === 'object' ? JSON.stringify(request.body) : request.body,
      signal: AbortSignal.any([context.signal, AbortSignal.timeout(request.timeout)]),
    });
    body = await response.text();
  } catch (thrown) {
    const error = toError(thrown);
    const why =
      error.name === 'TimeoutError' ? `no response within ${request.timeout}ms` : connectionError(error);
    return failure('GANTRY_STEP_FAILED', `${request.method} ${context.redact(request.url)}: ${why}`);
  }
  const latencyMs = Math.round(performance.now() - started);
  const result = { status: response.status, latencyMs, body: context.redact(body.slice(0, 1_000)) };
  const problem = firstMismatch(request.expect, response, body, latencyMs);
  if (problem)
    return failure(
      'GANTRY_STEP_FAILED',
      `${request.method} ${context.redact(request.url)}: ${problem}`,
      result,
    );
  return { ok: true, result };
}

function firstMismatch(
  expect: HttpStep['http']['expect'],
  response: Response,
  body: string,
  latencyMs: number,
): string | undefined {
  const statuses = [expect.status].flat();
  if (!statuses.includes(response.status))
    return `status ${response.status}, expected ${statuses.join(' or ')}`;
  for (const [name, value] of Object.entries(expect.headers ?? {})) {
    const actual = response.headers.get(name);
    if (actual !== value)
      return `header ${name} is ${actual === null ? 'missing' : `"${actual}"`}, expected "${value}"`;
  }
  if (expect.bodyContains !== undefined && !body.includes(expect.bodyContains)) {
    return `body does not contain "${expect.bodyContains}"`;
  }
  if (expect.json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return 'body is not JSON';
    }
    const path = subsetMismatch(expect.json, parsed, '$');
    if (path) return path;
  }
  if (expect.maxLatency !== undefined && latencyMs > expect.maxLatency) {
    return `answered in ${latencyMs}ms, over the ${expect.maxLatency}ms bound`;
  }
  return undefined;
}

/** Where `actual` fails to contain `expected` (objects: listed keys; arrays and scalars: equal). */
export function subsetMismatch(expected: unknown, actual: unknown, path: string): string | undefined {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual))
      return `${path} is not an object`;
    for (const [key, value] of Object.entries(expected)) {
      const mismatch = subsetMismatch(value, (actual as Record<string, unknown>)[key], `${path}.${key}`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  return isDeepStrictEqual(expected, actual)
    ? undefined
    : `${path} is ${JSON.stringify(actual) ?? 'missing'}, expected ${JSON.stringify(expected)}`;
}

function connectionError(error: Error): string {
  type Cause = { code?: string; message?: string; errors?: Cause[] };
  const cause = (error as Error & { cause?: Cause }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the service running?)';
  if (code === 'ENOTFOUND') return 'host not found (check the URL)';
  return code ?? cause?.message ?? error.message;
}
