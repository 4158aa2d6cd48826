// PromApi over HTTP with fetch: /api/v1/query and /api/v1/query_range, bearer or basic auth, a timeout per
// query. Every failure (refused, timed out, HTTP error, a Prometheus error) comes back as `ok: false`.

import { toError } from '../../errors.js';
import type { PromApi, PromResult, PromSeries } from './prom-api.js';

export interface HttpPromOptions {
  url: string;
  auth?: { bearer: string } | { basic: { username: string; password: string } };
  timeoutMs: number;
}

export function httpPromApi(options: HttpPromOptions): PromApi {
  const base = options.url.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.auth && 'bearer' in options.auth) headers.authorization = `Bearer ${options.auth.bearer}`;
  if (options.auth && 'basic' in options.auth) {
    const { username, password } = options.auth.basic;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  const get = async (
    path: string,
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<PromResult> => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const url = `${base}${path}?${new URLSearchParams(params)}`;
    try {
      const response = await fetch(url, {
        headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const body = (await response.json().catch(() => undefined)) as PromBody | undefined;
      if (!body) return { ok: false, message: `Prometheus answered HTTP ${response.status} without JSON` };
      if (body.status !== 'success') {
        return {
          ok: false,
          message: `Prometheus: ${body.errorType ?? 'error'}: ${body.error ?? `HTTP ${response.status}`}`,
        };
      }
      return { ok: true, series: seriesOf(body.data) };
    } catch (thrown) {
      const error = toError(thrown);
      if (timeout.aborted)
        return { ok: false, message: `Prometheus did not answer within ${options.timeoutMs}ms` };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return {
        ok: false,
        message: `Prometheus at ${base} unreachable: ${cause?.code ?? cause?.message ?? error.message}`,
      };
    }
  };
  return {
    query: (promql, timeSec, signal) =>
      get('/api/v1/query', { query: promql, time: String(timeSec) }, signal),
    queryRange: (promql, startSec, endSec, stepSec, signal) =>
      get(
        '/api/v1/query_range',
        { query: promql, start: String(startSec), end: String(endSec), step: String(stepSec) },
        signal,
      ),
  };
}

interface PromBody {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

function seriesOf(data: PromBody['data']): PromSeries[] {
  if (!data) return [];
  if (data.resultType === 'scalar') {
    const [t, v] = data.result as [number, string];
    return [{ labels: {}, points: [[t, Number(v)]] }];
  }
  const result = data.result as Array<{
    metric: Record<string, string>;
    value?: [number, string];
    values?: [number, string][];
  }>;
  return result.map((item) => ({
    labels: item.metric,
    points: (item.values ?? (item.value ? [item.value] : [])).map(
      ([t, v]) => [t, Number(v)] as [number, number],
    ),
  }));
}
