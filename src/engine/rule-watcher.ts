// The automatic-rollback watcher: a run extension that keeps `rollback.automatic` rules armed from the
// moment the new version takes traffic, through the rollout and the `monitor` stages, until the deployment
// ends or rolls back. It evaluates them often (every `rollback.interval`, 250ms by default on gantry-proxy's
// statistics; monitor stages at their `every`) and journals its decisions; a rollback decision makes the
// run stop the current step and roll back. It never changes the world itself.

import {
  type Decision,
  decisionRecord,
  immediateDecisions,
  measurementRecord,
} from '../analysis/decision.js';
import { RuleEvaluator, type RuleOutcome } from '../analysis/rule-evaluator.js';
import { EVENT } from '../deployment/events.js';
import type { DeploymentState } from '../deployment/state.js';
import { isTerminal } from '../deployment/status.js';
import { toError } from '../errors.js';
import type { PlannedStep } from '../plan/planned-step.js';
import type { MonitorStep } from '../plan/schema/steps.js';
import { evaluationContext, observedSince } from '../steps/analysis-context.js';
import type { RunExtension, RunExtensionFactory, RunHandle } from './extension.js';
import { sleepUntil } from './waiters.js';

/** Measurements are journaled per rule at most this often (or each `every` of a slower monitor stage). */
const MEASUREMENT_EVERY_MS = 30_000;

export const ruleWatcher: RunExtensionFactory = (run) => new RuleWatcher(run);

interface Watched {
  evaluator: RuleEvaluator;
  fromPrometheus: boolean;
  dueMs: number;
  journaledMs: number;
  /** The tier already decided in the current failing episode (cleared when the rule passes or a person resumes). */
  decided?: string;
  decidedAtEvent?: number;
}

class RuleWatcher implements RunExtension {
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private watched: Watched[] | undefined;
  private fired = false;

  constructor(private readonly run: RunHandle) {}

  onState(state: DeploymentState): void {
    if (this.loop || this.fired || !this.armed(state)) return;
    this.loop = this.watch()
      .catch((error) => this.run.log(`rollback watcher stopped: ${toError(error).message}`))
      .finally(() => {
        this.loop = undefined;
      });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private armed(state: DeploymentState): boolean {
    const { plan } = this.run.runtime;
    if (plan.rollback.automatic.length === 0 || this.signal().aborted) return false;
    if (state.track !== 'main' || isTerminal(state.status) || state.rollbackRequest) return false;
    return (state.weightPct ?? 0) > 0 || this.monitorStep(state) !== undefined;
  }

  private monitorStep(state: DeploymentState): { step: PlannedStep; startedMs: number } | undefined {
    const current = state.current;
    if (current?.track !== 'main') return undefined;
    const step = this.run.runtime.expanded.main[current.index];
    if (step?.kind !== 'monitor') return undefined;
    return { step, startedMs: Date.parse(current.firstStartedAt) };
  }

  private signal(): AbortSignal {
    return AbortSignal.any([this.abort.signal, this.run.signal]);
  }

  private async watch(): Promise<void> {
    const signal = this.signal();
    const watched = this.rules();
    while (!signal.aborted && !this.fired) {
      const state = this.run.state();
      if (!this.armed(state)) return;
      const monitor = this.monitorStep(state);
      const nowMs = Date.now();
      const due = watched.filter((w) => w.dueMs <= nowMs);
      const clockBase = { nowMs, observedSinceMs: observedSince(state, monitor?.startedMs ?? nowMs) };
      const outcomes = await Promise.all(
        due.map((w) =>
          w.evaluator.evaluate({ ...clockBase, intervalMs: this.intervalOf(w, monitor?.step) }, signal),
        ),
      );
      if (signal.aborted) return;
      for (const [i, w] of due.entries())
        await this.handle(w, outcomes[i] as RuleOutcome, monitor?.step, nowMs);
      const next = Math.min(...watched.map((w) => w.dueMs));
      await sleepUntil(new Date(Math.max(next, Date.now() + 10)), signal).catch(() => undefined);
    }
  }

  private rules(): Watched[] {
    if (this.watched) return this.watched;
    const { runtime, services } = this.run;
    const context = evaluationContext(runtime.info, services.metrics, 'rollback.automatic');
    this.watched = runtime.plan.rollback.automatic.map((rule) => ({
      evaluator: new RuleEvaluator(rule, context),
      fromPrometheus: services.metrics?.sourceFor(rule.metric.metric)?.kind === 'prometheus',
      dueMs: 0,
      journaledMs: 0,
    }));
    return this.watched;
  }

  /** Monitor stages: their `every`. Otherwise `rollback.interval`, and no faster than analysis.interval for Prometheus. */
  private intervalOf(w: Watched, monitor: PlannedStep | undefined): number {
    const { plan } = this.run.runtime;
    if (monitor) return (monitor.spec as MonitorStep).monitor.every;
    return w.fromPrometheus
      ? Math.max(plan.rollback.interval, plan.analysis.interval)
      : plan.rollback.interval;
  }

  private async handle(
    w: Watched,
    outcome: RuleOutcome,
    monitor: PlannedStep | undefined,
    nowMs: number,
  ): Promise<void> {
    const intervalMs = this.intervalOf(w, monitor);
    w.dueMs = nowMs + intervalMs;
    const origin = { source: monitor ? 'monitor' : 'automatic', ...(monitor ? { stepId: monitor.id } : {}) };
    if (nowMs - w.journaledMs >= Math.max(MEASUREMENT_EVERY_MS, intervalMs)) {
      w.journaledMs = nowMs;
      await this.run.record(EVENT.measurement, measurementRecord(outcome, origin));
    }
    if (outcome.verdict.outcome === 'pass') w.decided = undefined;
    const limit = this.run.runtime.plan.analysis.consecutiveErrorLimit;
    const decision = mostSevere(immediateDecisions([outcome], limit));
    if (!decision || this.alreadyDecided(w, decision)) return;
    w.decided = decision.tier;
    w.decidedAtEvent = this.run.state().eventCount;
    if (decision.tier === 'rollback') this.fired = true;
    await this.run.record(EVENT.decision, decisionRecord(decision, origin));
  }

  /** One decision per failing episode; a person's resume or promote starts a new one. */
  private alreadyDecided(w: Watched, decision: Decision): boolean {
    if (w.decided !== decision.tier) return false;
    const answered = this.run
      .state()
      .commands.some(
        (c) => (c.command === 'resume' || c.command === 'promote') && c.eventIndex >= (w.decidedAtEvent ?? 0),
      );
    return !answered;
  }
}

const ORDER = ['rollback', 'pause', 'inconclusive', 'warn'];

function mostSevere(decisions: Decision[]): Decision | undefined {
  return [...decisions].sort((a, b) => ORDER.indexOf(a.tier) - ORDER.indexOf(b.tier))[0];
}
