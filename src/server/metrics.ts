// `/metrics` for Gantry itself, in Prometheus text: deployments by status, rollbacks, step durations, and
// the time from a rule's breach to the rollback it caused. Fed by the server's event hub, so it counts
// what every process sharing the journal does; counters start at zero when the server starts.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EVENT } from '../deployment/events.js';
import { STATUSES, type Status } from '../deployment/status.js';
import type { Journal, JournalEvent } from '../journal/journal.js';

export class GantryMetrics {
  readonly registry = new Registry();
  private readonly statusById = new Map<string, Status>();
  private readonly stepKinds = new Map<string, string>();
  private readonly breachAt = new Map<string, number>();
  private readonly rollbacks: Counter<'trigger'>;
  private readonly stepSeconds: Histogram<'kind' | 'outcome'>;
  private readonly breachToRollback: Histogram;

  constructor() {
    const statusById = this.statusById;
    new Gauge({
      name: 'gantry_deployments',
      help: 'Deployments in the journal, by status.',
      labelNames: ['status'],
      registers: [this.registry],
      collect() {
        const counts = new Map<Status, number>(STATUSES.map((status) => [status, 0]));
        for (const status of statusById.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
        for (const [status, count] of counts) this.set({ status }, count);
      },
    });
    this.rollbacks = new Counter({
      name: 'gantry_rollbacks_total',
      help: 'Rollbacks started, by what triggered them (rule, step_failed, abort, operator).',
      labelNames: ['trigger'],
      registers: [this.registry],
    });
    this.stepSeconds = new Histogram({
      name: 'gantry_step_duration_seconds',
      help: 'How long steps ran, by step kind and outcome.',
      labelNames: ['kind', 'outcome'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [this.registry],
    });
    this.breachToRollback = new Histogram({
      name: 'gantry_breach_to_rollback_seconds',
      help: "Time from a rule's breach (the decision's breachStartedAt, else the decision) to the rollback starting.",
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [this.registry],
    });
  }

  /** Reads the status of every deployment once; events keep it current afterwards. */
  async load(journal: Journal): Promise<void> {
    for (const deployment of await journal.listDeployments({ limit: 1_000_000 }))
      this.statusById.set(deployment.id, deployment.status);
  }

  observe(events: readonly JournalEvent[]): void {
    for (const event of events) this.observeOne(event);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private observeOne(event: JournalEvent): void {
    const id = event.deploymentId;
    const data = event.data;
    switch (event.type) {
      case EVENT.created:
        this.statusById.set(id, 'pending');
        return;
      case EVENT.statusChanged:
        this.statusById.set(id, data.to as Status);
        if (['succeeded', 'rolled_back', 'failed', 'aborted'].includes(String(data.to))) this.forget(id);
        return;
      case EVENT.stepStarted:
        this.stepKinds.set(`${id}/${data.stepId}`, String(data.kind));
        return;
      case EVENT.stepSucceeded:
      case EVENT.stepFailed: {
        if (data.retryAt && event.type === EVENT.stepFailed) return;
        const key = `${id}/${data.stepId}`;
        const outcome = event.type === EVENT.stepSucceeded ? 'succeeded' : 'failed';
        this.stepSeconds.observe(
          { kind: this.stepKinds.get(key) ?? 'unknown', outcome },
          Number(data.durationMs) / 1000,
        );
        this.stepKinds.delete(key);
        return;
      }
      case EVENT.decision:
        if (data.tier === 'rollback' && !this.breachAt.has(id)) {
          const breach = Date.parse(String(data.breachStartedAt ?? event.at));
          this.breachAt.set(id, Number.isFinite(breach) ? breach : Date.parse(event.at));
        }
        return;
      case EVENT.rollbackStarted: {
        this.rollbacks.inc({ trigger: String(data.trigger ?? 'unknown') });
        const breach = this.breachAt.get(id);
        if (data.trigger === 'rule' && breach !== undefined)
          this.breachToRollback.observe(Math.max(0, Date.parse(event.at) - breach) / 1000);
        this.breachAt.delete(id);
        return;
      }
    }
  }

  private forget(id: string): void {
    this.breachAt.delete(id);
    for (const key of this.stepKinds.keys()) if (key.startsWith(`${id}/`)) this.stepKinds.delete(key);
  }
}
