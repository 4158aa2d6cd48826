// Load through autocannon, the same tool for every target: a fixed rate (latency at a known load) or as many
// requests as the connections can carry (throughput). Latencies are recorded per response in microseconds
// (autocannon's own histogram rounds to whole milliseconds, too coarse for proxy overhead).

import autocannon from 'autocannon';
import { build } from 'hdr-histogram-js';

export interface LoadOptions {
  url: string;
  durationSec: number;
  connections: number;
  /** Requests per second over all connections; omitted: as fast as possible. */
  ratePerSec?: number;
}

export interface LoadFigures {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  /** Network errors, timeouts and non-2xx answers. */
  failures: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const latency = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const started = process.hrtime.bigint();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSec,
        overallRate: options.ratePerSec,
        pipelining: 1,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => {
      latency.recordValue(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
  const elapsedSec = Number(process.hrtime.bigint() - started) / 1e9;
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    requestsPerSec: Math.round(result['2xx'] / Math.min(elapsedSec, options.durationSec + 0.5)),
    p50Ms: ms(latency.getValueAtPercentile(50)),
    p99Ms: ms(latency.getValueAtPercentile(99)),
    maxMs: ms(latency.maxValue),
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}
