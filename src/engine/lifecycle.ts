// Lifecycle notifications: a status change (started, waiting, paused, rolled_back…) goes to the channels
// the plan names under `notify.on`. Deliveries are journaled; a failed one is recorded, never fatal.

import { EVENT } from '../deployment/events.js';
import type { Status } from '../deployment/status.js';
import type { JournalEvent } from '../journal/journal.js';
import { severityOf } from '../notify/severity.js';
import type { LifecycleEvent } from '../plan/schema/notify.js';
import type { DeploymentLog } from './deployment-log.js';
import type { JournalWriter } from './journal-writer.js';
import type { DeploymentRuntime } from './runtime.js';

const WORDS: Record<LifecycleEvent, string> = {
  started: 'started',
  waiting: 'is waiting',
  paused: 'is paused',
  interrupted: 'was interrupted and needs an operator',
  warning: 'has a warning',
  rolling_back: 'is rolling back',
  rolled_back: 'was rolled back',
  succeeded: 'succeeded',
  failed: 'failed',
  aborted: 'was aborted',
};

export function lifecycleEventOf(from: Status, to: Status): LifecycleEvent | undefined {
  if (to === 'waiting' || to === 'paused' || to === 'interrupted') return to;
  if (to === 'succeeded' || to === 'rolled_back' || to === 'failed' || to === 'aborted') return to;
  if (from === 'pending' && to === 'running') return 'started';
  return undefined;
}

export class Lifecycle {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly runtime: DeploymentRuntime,
    private readonly writer: JournalWriter,
    private readonly log: DeploymentLog,
  ) {}

  statusChanged(from: Status, to: Status, reason: string, event: JournalEvent): void {
    const lifecycle = lifecycleEventOf(from, to);
    if (lifecycle) this.notify(lifecycle, reason, event);
  }

  notify(lifecycle: LifecycleEvent, reason: string, event: JournalEvent): void {
    const channels = this.runtime.plan.notify.on[lifecycle] ?? [];
    if (channels.length === 0) return;
    const delivery = this.deliver(lifecycle, channels, reason, event).catch((error: Error) =>
      this.log(`notification for ${lifecycle} not recorded: ${error.message}`),
    );
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  /** Waits for deliveries in flight, so a finished deployment's last notification is sent and recorded. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async deliver(lifecycle: LifecycleEvent, channels: string[], reason: string, event: JournalEvent) {
    const { info, redactor, plan } = this.runtime;
    const title = redactor.text(`${info.service} ${info.version} → ${info.environment} ${WORDS[lifecycle]}`);
    const severity = severityOf(lifecycle, plan.notify.severity);
    const deliveries = await this.runtime.channels.send(channels, {
      deliveryId: `${info.id}:${event.index}`,
      event: lifecycle,
      severity,
      title,
      text: redactor.text(`${title}: ${reason}`),
      deployment: { ...info, status: this.writer.state.status },
      at: event.at,
    });
    await this.writer.append(
      ...deliveries.map((delivery) => ({
        type: delivery.ok ? EVENT.notificationSent : EVENT.notificationFailed,
        data: {
          channel: delivery.channel,
          event: lifecycle,
          forEvent: event.index,
          severity,
          attempts: delivery.attempts,
          ...(delivery.error ? { error: redactor.text(delivery.error) } : {}),
        },
      })),
    );
  }
}
