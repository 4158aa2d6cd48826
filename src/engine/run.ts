// Drives one deployment: asks `nextAction` what to do, does it through journaled steps, repeats until
// a terminal status. Every change of course is an event first, so a restart continues where this stopped.

import { logLine } from '../deployment/describe.js';
import { EVENT, type Track } from '../deployment/events.js';
import type { DeploymentState } from '../deployment/state.js';
import { isTerminal, type Status } from '../deployment/status.js';
import type { JournalEvent } from '../journal/journal.js';
import type { PlannedStep } from '../plan/planned-step.js';
import type { StepServices } from '../steps/services.js';
import type { StepHandler } from '../steps/step.js';
import type { DeploymentLog } from './deployment-log.js';
import { FullyPromoted, LeaseLostError, PlanReplacedError } from './errors.js';
import type { RunExtension, RunExtensionFactory, RunHandle } from './extension.js';
import type { JournalWriter } from './journal-writer.js';
import { Lifecycle } from './lifecycle.js';
import { fullPromotion, type NextAction, nextAction } from './next-action.js';
import type { DeploymentRuntime } from './runtime.js';
import { runStep } from './step-runner.js';
import { sleepUntil, Waiters } from './waiters.js';

export interface RunOptions {
  runtime: DeploymentRuntime;
  writer: JournalWriter;
  handlers: ReadonlyMap<string, StepHandler>;
  log: DeploymentLog;
  services: StepServices;
  extensions?: readonly RunExtensionFactory[];
}

export class DeploymentRun {
  readonly waiters = new Waiters();
  readonly lifecycle: Lifecycle;
  /** Aborts the step in progress (stop requests) and every wait (lease lost, shutdown). */
  private stepAbort: AbortController | undefined;
  /** The step being run or waiting for its retry, so that `promote --full` can cut short one it skips. */
  private stepInHand: PlannedStep | undefined;
  private readonly runAbort = new AbortController();

  private extensions: RunExtension[] = [];

  constructor(readonly options: RunOptions) {
    this.lifecycle = new Lifecycle(options.runtime, options.writer, options.log);
    options.writer.onApplied((events) => this.onApplied(events));
  }

  get state(): DeploymentState {
    return this.options.writer.state;
  }

  get signal(): AbortSignal {
    return this.runAbort.signal;
  }

  /** Stops driving at once (another engine owns the deployment now, or this process shuts down). */
  stop(reason: Error): void {
    this.runAbort.abort(reason);
    this.stepAbort?.abort(reason);
  }

  async drive(): Promise<Status> {
    this.extensions = (this.options.extensions ?? []).map((create) => create(this.handle()));
    try {
      while (!isTerminal(this.state.status)) {
        if (this.runAbort.signal.aborted) throw this.runAbort.signal.reason;
        await this.perform(nextAction(this.state, this.options.runtime.expanded));
      }
      await Promise.all(this.extensions.map((extension) => extension.afterEnd?.(this.state)));
      if (this.runAbort.signal.aborted) throw this.runAbort.signal.reason;
      await this.stopExtensions();
      await this.lifecycle.flush();
      return this.state.status;
    } catch (thrown) {
      await this.stopExtensions();
      if (this.runAbort.signal.aborted) throw this.runAbort.signal.reason;
      throw thrown;
    }
  }

  private handle(): RunHandle {
    const { runtime, services, log, writer } = this.options;
    return {
      runtime,
      services,
      log,
      signal: this.runAbort.signal,
      state: () => this.state,
      record: async (type, data) => {
        await writer.append({ type, data });
      },
    };
  }

  private async stopExtensions(): Promise<void> {
    const extensions = this.extensions;
    this.extensions = [];
    await Promise.all(extensions.map((extension) => extension.stop().catch(() => undefined)));
  }

  private async perform(action: NextAction): Promise<void> {
    switch (action.kind) {
      case 'done':
        return;
      case 'run-step':
        if (action.retryAt) {
          this.stepInHand = action.step;
          const interrupted = await sleepUntil(action.retryAt, this.stopSignal()).then(
            () => false,
            () => true,
          );
          this.stepInHand = undefined;
          // The loop decides again: a stop request, a full promotion or a shutdown came first.
          if (interrupted) return;
        }
        if (this.stopRequested()) return;
        return this.runOne(action.step);
      case 'skip-step':
        await this.setStatus('running', `continuing after ${action.step.id} was skipped`);
        await this.options.writer.append({
          type: EVENT.stepSkipped,
          data: ref(action.step),
          actor: action.by,
        });
        return;
      case 'start-rollback':
        {
          const [event] = await this.options.writer.append({
            type: EVENT.rollbackStarted,
            data: { reason: action.reason, trigger: action.trigger, endStatus: action.endStatus },
            actor: action.by,
          });
          if (event) this.lifecycle.notify('rolling_back', action.reason, event);
        }
        await this.setStatus('running', `rolling back: ${action.reason}`);
        return;
      case 'finish':
        await this.setStatus(action.status, action.reason);
        return;
      case 'wait-operator':
        await this.setStatus(action.status, action.reason);
        await this.nextChange();
        return;
    }
  }

  private async runOne(step: PlannedStep): Promise<void> {
    const handler = this.options.handlers.get(step.kind);
    if (this.state.status !== 'running') {
      await this.setStatus('running', step.track === 'rollback' ? 'rolling back' : `running ${step.id}`);
    }
    this.stepAbort = new AbortController();
    this.stepInHand = step;
    try {
      await runStep(this, step, handler, this.stepAbort.signal);
    } finally {
      this.stepAbort = undefined;
      this.stepInHand = undefined;
    }
  }

  async setStatus(to: Status, reason: string): Promise<void> {
    const from = this.state.status;
    if (from === to) return;
    const [event] = await this.options.writer.append({
      type: EVENT.statusChanged,
      data: { from, to, reason },
    });
    if (event) this.lifecycle.statusChanged(from, to, reason, event);
  }

  /** Resolves on the next journal event, whoever wrote it. */
  nextChange(): Promise<void> {
    const seen = this.state.eventCount;
    return this.waiters
      .until(
        () => this.state,
        (state) => (state.eventCount > seen ? true : undefined),
        { signal: this.runAbort.signal },
      )
      .then(() => undefined);
  }

  /** True when the main track must stop: an abort or a rule's rollback request arrived. */
  stopRequested(): boolean {
    const state = this.state;
    if (state.track !== 'main') return false;
    return (
      state.rollbackRequest !== undefined || state.commands.some((command) => command.command === 'abort')
    );
  }

  /** A signal that aborts when a stop is requested or the run stops. */
  stopSignal(): AbortSignal {
    const controller = new AbortController();
    this.stepAbort = controller;
    return AbortSignal.any([controller.signal, this.runAbort.signal]);
  }

  private onApplied(events: JournalEvent[]): void {
    for (const event of events) this.options.log(logLine(event));
    // A warning from analysis is a lifecycle notification of its own (`notify.on.warning`).
    for (const event of events) {
      if (event.type === EVENT.decision && event.data.tier === 'warn')
        this.lifecycle.notify('warning', String(event.data.explanation ?? ''), event);
    }
    const holderId = this.options.writer.holderId;
    if (
      events.some(
        (event) => event.type === EVENT.planReplaced && event.data.source && event.actor !== holderId,
      )
    ) {
      this.stop(new PlanReplacedError(this.state.id));
      return;
    }
    if (this.stopRequested()) this.stepAbort?.abort(new Error('stop requested'));
    else this.cutShortOnFullPromotion();
    this.waiters.wake();
    for (const extension of this.extensions) extension.onState?.(this.state);
  }

  private cutShortOnFullPromotion(): void {
    const step = this.stepInHand;
    const full = fullPromotion(this.state);
    if (!full || !step?.skippedOnFullPromotion || step.track !== 'main') return;
    if (this.stepAbort?.signal.aborted === false) this.stepAbort.abort(new FullyPromoted(full.by));
  }
}

export function ref(step: PlannedStep): { stepId: string; track: Track; index: number } {
  return { stepId: step.id, track: step.track, index: step.index };
}

export { LeaseLostError };
