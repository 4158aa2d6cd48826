// Run extensions: work that runs beside a deployment's steps for as long as the run lives, such as the
// watcher that keeps `rollback.automatic` rules armed through the rollout and the monitor stages.
// An extension acts only through the journal (decisions it records); the run loop does the rest.

import type { DeploymentState } from '../deployment/state.js';
import type { StepServices } from '../steps/services.js';
import type { DeploymentLog } from './deployment-log.js';
import type { DeploymentRuntime } from './runtime.js';

export interface RunHandle {
  readonly runtime: DeploymentRuntime;
  readonly services: StepServices;
  readonly log: DeploymentLog;
  /** Aborted when the run stops (deployment ended, lease lost, shutdown). */
  readonly signal: AbortSignal;
  state(): DeploymentState;
  /** Journals an event for the deployment, fenced by the run's lease. */
  record(type: string, data: Record<string, unknown>): Promise<void>;
}

export interface RunExtension {
  /** Called after every change of the run's state (own or external events). Must not throw. */
  onState?(state: DeploymentState): void;
  /**
   * Called once when the deployment has ended, before `stop`: the run (and its lease) lives on until every
   * extension's promise resolves, for work that outlasts the steps (escalating a failed deployment until
   * someone acknowledges it). Resolves at once when there is none; must resolve when the run's signal aborts.
   */
  afterEnd?(state: DeploymentState): Promise<void>;
  /** Called once when the run stops; resolves when the extension has finished its work. */
  stop(): Promise<void>;
}

export type RunExtensionFactory = (run: RunHandle) => RunExtension;
