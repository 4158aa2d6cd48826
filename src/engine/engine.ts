// The Engine drives deployments in this process: it takes each one's lease, renews the leases it holds,
// feeds runs the events other processes write, and stops a run the moment its lease is lost (taken by
// another engine, fenced out of an append, or not renewed in time).

import { foldEvents } from '../deployment/state.js';
import type { Status } from '../deployment/status.js';
import { GantryError } from '../errors.js';
import type { Journal, Lease, LeaseHolder } from '../journal/journal.js';
import { STEP_HANDLERS } from '../steps/registry.js';
import type { StepHandler } from '../steps/step.js';
import { type AttachOptions, attach } from './attach.js';
import { DEFAULT_EXTENSIONS } from './default-extensions.js';
import { type DeploymentLog, discardLog } from './deployment-log.js';
import { LeaseLostError, PlanReplacedError } from './errors.js';
import type { RunExtensionFactory } from './extension.js';
import { ChainFeed } from './feed.js';
import { isHolderDeadHere, newHolder } from './holder.js';
import { JournalWriter } from './journal-writer.js';
import { LeaseKeeper } from './lease-keeper.js';
import { waitForQueuedLock } from './queue.js';
import { DeploymentRun } from './run.js';
import { buildRuntime } from './runtime.js';
import { buildServices, gantryHomeOf } from './services.js';
import { planSnapshotOf } from './snapshot.js';

export interface EngineOptions {
  journal: Journal;
  /** The state directory (GANTRY_HOME): where data planes keep their sockets and logs. */
  home?: string;
  /** Work beside each run's steps (rule watchers); the defaults when omitted. */
  extensions?: readonly RunExtensionFactory[];
  holder?: LeaseHolder;
  handlers?: ReadonlyMap<string, StepHandler>;
  leaseTtlMs?: number;
  pollMs?: number;
  env?: NodeJS.ProcessEnv;
  logFor?: (deploymentId: string) => DeploymentLog;
}

export interface DriveOptions {
  replan?: boolean;
  by?: string;
}

export class Engine {
  readonly holder: LeaseHolder;
  private readonly runs = new Map<string, DeploymentRun>();
  private readonly feed: ChainFeed;
  private readonly leaseTtlMs: number;
  private readonly keeper: LeaseKeeper;
  /** Why a deployment's run must stop, kept until its drive ends: the run may not exist yet when it is lost. */
  private readonly lost = new Map<string, Error>();

  constructor(private readonly options: EngineOptions) {
    this.holder = options.holder ?? newHolder();
    this.leaseTtlMs = options.leaseTtlMs ?? 15_000;
    this.keeper = new LeaseKeeper({
      journal: options.journal,
      holderId: this.holder.holderId,
      ttlMs: this.leaseTtlMs,
      onLost: (id, error) => this.stopRun(id, error),
    });
    this.feed = new ChainFeed(options.journal, options.pollMs ?? 200, (id, events) =>
      this.runs.get(id)?.options.writer.apply(events),
    );
  }

  /** Drives a deployment until it ends; throws LeaseLostError when another engine takes it over. */
  async drive(deploymentId: string, options: DriveOptions = {}): Promise<Status> {
    const { journal } = this.options;
    const requestedAt = performance.now();
    const lease = await this.takeLease(deploymentId);
    this.keeper.hold(deploymentId, requestedAt);
    try {
      await this.startBackground();
      for (
        let attachOptions = { ...options, lease: lease.lease, replaced: lease.replaced };
        ;
        attachOptions.replaced = undefined
      ) {
        try {
          return await this.runOnce(deploymentId, attachOptions);
        } catch (thrown) {
          if (!(thrown instanceof PlanReplacedError)) throw thrown;
        }
      }
    } finally {
      this.runs.delete(deploymentId);
      this.keeper.release(deploymentId);
      this.lost.delete(deploymentId);
      await journal.releaseLease(deploymentId, this.holder.holderId).catch(() => undefined);
      if (this.runs.size === 0) this.stopBackground();
    }
  }

  /** Builds the run from the journal (plan snapshot, folded state) and drives it. */
  private async runOnce(deploymentId: string, attachOptions: AttachOptions): Promise<Status> {
    const { journal } = this.options;
    const record = await journal.getDeployment(deploymentId);
    if (!record) throw new GantryError('GANTRY_DEPLOYMENT_NOT_FOUND', `no deployment ${deploymentId}`);
    const events = await journal.readEvents(deploymentId);
    const runtime = buildRuntime(record, planSnapshotOf(record, events), this.options.env ?? process.env);
    const writer = new JournalWriter(
      journal,
      deploymentId,
      this.holder.holderId,
      runtime.redactor,
      foldEvents(events),
    );
    const log = this.options.logFor?.(deploymentId) ?? discardLog;
    const services = await buildServices(runtime, {
      home: this.options.home ?? gantryHomeOf(this.options.env),
      journal,
      log,
    });
    const run = new DeploymentRun({
      runtime,
      writer,
      log,
      services,
      handlers: this.options.handlers ?? STEP_HANDLERS,
      extensions: this.options.extensions ?? DEFAULT_EXTENSIONS,
    });
    this.runs.set(deploymentId, run);
    writer.onLeaseLost(() => this.stopRun(deploymentId, new LeaseLostError(deploymentId)));
    const lost = this.lost.get(deploymentId);
    if (lost) run.stop(lost);
    await attach(run, attachOptions);
    if (record.queued) await waitForQueuedLock(run, journal);
    return run.drive();
  }

  async close(): Promise<void> {
    for (const run of this.runs.values())
      run.stop(new GantryError('GANTRY_INTERNAL', 'the engine is shutting down'));
    this.stopBackground();
  }

  private async takeLease(deploymentId: string): Promise<{ lease: Lease; replaced?: string }> {
    const { journal } = this.options;
    const current = await journal.getLease(deploymentId);
    const replacing =
      current && current.holderId !== this.holder.holderId && isHolderDeadHere(current)
        ? current.holderId
        : undefined;
    const result = await journal.acquireLease(deploymentId, this.holder, this.leaseTtlMs, replacing);
    if (!result.acquired) {
      throw new GantryError(
        'GANTRY_LOCKED',
        `deployment ${deploymentId} is being driven by ${result.lease.holderId} (pid ${result.lease.pid} on ${result.lease.host})`,
        {
          hint: `watch it with \`gantry status ${deploymentId} --watch\`; if that process is gone, its lease expires at ${result.lease.expiresAt}`,
        },
      );
    }
    const replaced = current && current.holderId !== this.holder.holderId ? current.holderId : undefined;
    return { lease: result.lease, replaced };
  }

  private async startBackground(): Promise<void> {
    await this.feed.start();
    this.keeper.start();
  }

  private stopBackground(): void {
    this.feed.stop();
    this.keeper.stop();
  }

  private stopRun(deploymentId: string, reason: Error): void {
    if (!this.lost.has(deploymentId)) this.lost.set(deploymentId, reason);
    this.runs.get(deploymentId)?.stop(reason);
  }
}
