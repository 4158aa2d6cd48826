// The MetricSource interface: where analysis reads the values its rules judge. Implementations live in the
// sibling folders (builtin/: gantry-proxy's statistics, prometheus/: PromQL). A query that fails or finds
// no data is a Measurement with phase `error` or `nodata`, never an exception: analysis counts those and
// turns too many in a row into an inconclusive verdict.

/** The unit a caller wants a value in; sources convert from theirs (Prometheus: seconds → ms). */
export type MetricUnit = 'ratio' | 'ms' | 'bytes' | 'number';

export type MetricRole = 'canary' | 'stable';

export interface MetricQuery {
  metric: string;
  role: MetricRole;
  /** The version the role stands for in this deployment. */
  version: string;
  unit: MetricUnit;
  sinceMs: number;
  untilMs: number;
}

/** One point of a series: a gauge sample, or the counts of one bucket of time. */
export interface MetricPoint {
  tMs: number;
  value: number;
  /** Requests behind the value, when the source knows them. */
  requests?: number;
}

interface MeasurementBase {
  metric: string;
  role: MetricRole;
  version: string;
  /** What was asked, in the source's own words (the PromQL, or the proxy stats query). */
  query: string;
  /** The window the data actually covers (sources may round it out). */
  sinceMs: number;
  untilMs: number;
}

export type Measurement =
  | (MeasurementBase & { phase: 'ok'; value: number; requests?: number })
  | (MeasurementBase & { phase: 'nodata' | 'error'; message: string });

export type SeriesMeasurement =
  | (MeasurementBase & { phase: 'ok'; points: MetricPoint[] })
  | (MeasurementBase & { phase: 'nodata' | 'error'; message: string });

/** One request as the data plane saw it: when it finished, how long it took, its status. */
export interface RequestSample {
  tMs: number;
  latencyMs: number;
  status: number;
}

/** Requests after a cursor; pass `cursor` back to get the next ones. */
export type RequestBatch =
  | { phase: 'ok'; requests: RequestSample[]; cursor: RequestCursor; query: string }
  | { phase: 'error'; message: string; query: string };

export interface RequestCursor {
  afterMs: number;
  /** Requests already seen that finished in the millisecond `afterMs`. */
  seenAtMs: number;
}

export interface MetricSource {
  /** `builtin` or `prometheus`: shown in explanations. */
  readonly kind: string;
  /**
   * `window`: value() sums up the requests of a window (an error rate over them); `gauge`: value() is a
   * reading at an instant (memory), so a rule holding `for 3m` must hold at every point of the series.
   */
  shapeOf(metric: string): 'window' | 'gauge';
  /** The window of rules without a `for` duration, when the source has one (Prometheus: its `window`). */
  readonly instantWindowMs?: number;
  /** The metric's value over the window (an error rate over its requests, the peak memory…). */
  value(query: MetricQuery, signal?: AbortSignal): Promise<Measurement>;
  /** The metric's points inside the window (per second, or per Prometheus step). */
  series(query: MetricQuery, signal?: AbortSignal): Promise<SeriesMeasurement>;
  /** Individual requests of a version, oldest first; only sources that see each request have this. */
  requests?(
    version: string,
    cursor: RequestCursor,
    untilMs: number,
    signal?: AbortSignal,
  ): Promise<RequestBatch>;
  /** The newest `count` requests of a version finished in the window, oldest first. */
  lastRequests?(
    version: string,
    count: number,
    sinceMs: number,
    untilMs: number,
    signal?: AbortSignal,
  ): Promise<RequestBatch>;
}
