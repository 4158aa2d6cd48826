// Runs timed notifications beside a deployment's steps (escalation levels, window reminders): asks its
// planner what is due from the folded journal and the clock, sends it, journals each delivery under the
// notice's key, and sleeps until the next one. Because every decision reads the journal, an engine that
// restarts picks the schedule up where it was, and nothing already journaled is sent again.

import { EVENT } from '../deployment/events.js';
import type { DeploymentState } from '../deployment/state.js';
import { toError } from '../errors.js';
import type { Notification } from '../notify/notification.js';
import type { NoticeSchedule, TimedNotice } from '../notify/timed-notice.js';
import type { RunExtension, RunExtensionFactory, RunHandle } from './extension.js';
import type { DeploymentRuntime } from './runtime.js';
import { timerAt } from './waiters.js';

export type NoticePlanner = (state: DeploymentState, nowMs: number) => NoticeSchedule;

/** `plannerFor` returns undefined when the plan asks for none of these notices: the run then carries nothing. */
export function timedNotifications(
  name: string,
  plannerFor: (runtime: DeploymentRuntime) => NoticePlanner | undefined,
): RunExtensionFactory {
  return (run) => {
    const planner = plannerFor(run.runtime);
    return planner ? new TimedNotifier(run, name, planner) : { stop: async () => undefined };
  };
}

class TimedNotifier implements RunExtension {
  private timer: { clear(): void } | undefined;
  private working: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Set while the run waits for this extension after the deployment ended (a failed one still escalating). */
  private ended: (() => void) | undefined;
  /** Deliveries made by this process, in case the journal has not folded them yet. */
  private readonly sent = new Set<string>();

  constructor(
    private readonly run: RunHandle,
    private readonly name: string,
    private readonly planner: NoticePlanner,
  ) {
    // A run may start already stuck (an engine restarted on an interrupted deployment): look once at once.
    setImmediate(() => this.wake());
  }

  onState(): void {
    this.wake();
  }

  afterEnd(): Promise<void> {
    return new Promise((resolve) => {
      this.ended = resolve;
      this.run.signal.addEventListener('abort', () => resolve(), { once: true });
      this.wake();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.clear();
    this.ended?.();
    await this.working;
  }

  private wake(): void {
    if (this.stopped || this.run.signal.aborted) return;
    if (this.working) {
      this.again = true;
      return;
    }
    this.working = this.work()
      .catch((error) => {
        this.run.log(`${this.name} notifications stopped: ${toError(error).message}`);
        // Giving up must not keep an ended deployment's run waiting for this extension.
        this.stopped = true;
        this.ended?.();
      })
      .finally(() => {
        this.working = undefined;
        if (this.again) this.wake();
      });
  }

  private async work(): Promise<void> {
    for (;;) {
      this.again = false;
      const schedule = this.planner(this.run.state(), Date.now());
      const due = schedule.due
        .map((notice) => ({
          ...notice,
          channels: notice.channels.filter((c) => !this.sent.has(`${notice.key}|${c}`)),
        }))
        .filter((notice) => notice.channels.length > 0);
      if (due.length === 0) {
        this.arm(schedule.nextAtMs);
        if (schedule.nextAtMs === undefined) this.ended?.();
        return;
      }
      for (const notice of due) {
        if (this.stopped || this.run.signal.aborted) return;
        await this.deliver(notice);
      }
    }
  }

  private arm(atMs: number | undefined): void {
    this.timer?.clear();
    this.timer =
      atMs === undefined ? undefined : timerAt(new Date(Math.max(atMs, Date.now() + 10)), () => this.wake());
  }

  private async deliver(notice: TimedNotice): Promise<void> {
    const { info, redactor, channels } = this.run.runtime;
    const notification: Notification = {
      ...notice.message,
      deliveryId: `${info.id}:${notice.key}`,
      title: redactor.text(notice.message.title),
      text: redactor.text(notice.message.text),
      deployment: { ...info, status: this.run.state().status },
      at: new Date().toISOString(),
    };
    const deliveries = await channels.send(notice.channels, notification, this.run.signal);
    for (const delivery of deliveries) {
      this.sent.add(`${notice.key}|${delivery.channel}`);
      if (!delivery.ok)
        this.run.log(
          `${notice.record.event} to ${delivery.channel} failed: ${redactor.text(delivery.error ?? '')}`,
        );
      await this.run.record(delivery.ok ? EVENT.notificationSent : EVENT.notificationFailed, {
        channel: delivery.channel,
        key: notice.key,
        ...notice.record,
        attempts: delivery.attempts,
        ...(delivery.error ? { error: redactor.text(delivery.error) } : {}),
      });
    }
  }
}
