// The slice of the Prometheus HTTP API analysis uses (STYLE 6): an instant query and a range query. A
// failure is a value (`ok: false`) with the reason, not an exception: it becomes a measurement error.

export interface PromSeries {
  labels: Record<string, string>;
  /** [seconds since the epoch, value] */
  points: Array<[number, number]>;
}

export type PromResult = { ok: true; series: PromSeries[] } | { ok: false; message: string };

export interface PromApi {
  /** The value of `promql` at `timeSec`. */
  query(promql: string, timeSec: number, signal?: AbortSignal): Promise<PromResult>;
  /** The values of `promql` from `startSec` to `endSec` every `stepSec`. */
  queryRange(
    promql: string,
    startSec: number,
    endSec: number,
    stepSec: number,
    signal?: AbortSignal,
  ): Promise<PromResult>;
}
