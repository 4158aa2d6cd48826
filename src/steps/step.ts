// The StepHandler interface: one implementation per step kind, each in its own file in this folder.
// Handlers touch the world; the engine journals around them (temporal's workflow/activity split).

import type { DeploymentState } from '../deployment/state.js';
import type { PlannedStep } from '../plan/planned-step.js';
import type { Plan } from '../plan/schema/plan.js';
import type { StepServices } from './services.js';

export interface DeploymentInfo {
  id: string;
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  requestedBy: string;
}

export type StepResult =
  | { ok: true; result?: Record<string, unknown> }
  | {
      ok: false;
      error: { code: string; message: string };
      result?: Record<string, unknown>;
      /**
       * Neither done nor failed: the step cannot decide safely (an irreversible migration to roll back with no
       * backup). The deployment stops as `interrupted`, `error.message` telling the operator the options.
       */
      needsOperator?: true;
    };

export interface WaitOptions {
  /** What the deployment waits for, in words: "approval by security-lead". */
  waitingFor: string;
  /** Give up waiting at this time; the wait then resolves to undefined. */
  until?: Date;
  /** The status shown meanwhile: `waiting` (for a gate), or `paused` when a rule stopped the step for a person. */
  status?: 'waiting' | 'paused';
}

export interface StepContext {
  readonly deployment: DeploymentInfo;
  readonly plan: Plan;
  readonly planDir: string;
  readonly step: PlannedStep;
  readonly attempt: number;
  /** When this step first started, across restarts: deadlines are computed from it. */
  readonly firstStartedAt: Date;
  /** Event index of this step's first start; commands after it apply to the step. */
  readonly firstStartedAtEvent: number;
  /** Aborted when the deployment is aborted, rolled back by a rule, or this process loses its lease. */
  readonly signal: AbortSignal;
  readonly services: StepServices;
  state(): DeploymentState;
  /** Renders `${…}` variables and secrets in a plan value. */
  render<T>(value: T): T;
  redact(text: string): string;
  /** A line in the deployment's log file (redacted). */
  log(line: string): void;
  /** Journals an event for this step (fenced by the lease). */
  record(type: string, data: Record<string, unknown>): Promise<void>;
  /**
   * Waits, with the deployment shown as `waiting`, until `check` returns a value, `until` passes
   * (→ undefined), or the signal aborts (→ throws). `check` runs on every new journal event.
   */
  waitFor<T>(options: WaitOptions, check: (state: DeploymentState) => T | undefined): Promise<T | undefined>;
  /** Sleeps until a time, abortably, without changing the status. */
  sleepUntil(at: Date): Promise<void>;
}

export interface StepHandler<Spec = any> {
  readonly kind: string;
  /** Safe to run again after a crash in the middle of it. */
  idempotent(spec: Spec): boolean;
  /** Retries and their first delay, when the kind retries on failure. */
  retryPolicy?(spec: Spec): { retries: number; backoffMs: number };
  run(context: StepContext, spec: Spec): Promise<StepResult>;
}

export function failure(code: string, message: string, result?: Record<string, unknown>): StepResult {
  return { ok: false, error: { code, message }, result };
}

/** The step stops the deployment as `interrupted`; `message` says what happened and what the operator can do. */
export function needsOperator(message: string, result?: Record<string, unknown>): StepResult {
  return { ok: false, error: { code: 'GANTRY_NEEDS_OPERATOR', message }, result, needsOperator: true };
}
