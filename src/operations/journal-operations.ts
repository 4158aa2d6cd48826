// Operations answered from a journal: what the CLI does without a server, and what the server does for
// each request. Who acts and how an engine gets started differ between the two and are passed in.

import { resolve } from 'node:path';
import { analysisSeen } from '../deployment/analysis-seen.js';
import type { OperatorCommand } from '../deployment/events.js';
import { acknowledge } from '../engine/acknowledge.js';
import { approve } from '../engine/approve.js';
import { checkItem } from '../engine/check.js';
import { createDeployment, readPlanFile } from '../engine/create.js';
import { isHolderDeadHere } from '../engine/holder.js';
import { loadDeployment } from '../engine/inspect.js';
import { giveCommand } from '../engine/operator.js';
import { answerResume } from '../engine/resume.js';
import { requestRollback } from '../engine/rollback.js';
import { verifyChain } from '../journal/audit.js';
import type { DeploymentFilter, Journal } from '../journal/journal.js';
import { issueToken } from '../server/tokens.js';
import type {
  AcknowledgeRequest,
  ApproveRequest,
  CommandRequest,
  DeployRequest,
  Operations,
  ResumeRequestInput,
  RollbackRequestInput,
  TokenRequest,
} from './operations.js';

export interface EngineStarter {
  /** A new deployment was created: drive it. Returns the pid of a process started for it, if any. */
  started(id: string): number | undefined;
  /** A stopped deployment was answered: make sure something drives it. */
  ensure(id: string, extraArgs?: string[]): Promise<number | undefined>;
  /** Where the driving process logs, if this machine has such a file. */
  logPath?(id: string): string;
}

export interface JournalOperationsOptions {
  /** The acting user for a request that may name one (`--as`). */
  identity(as?: string): string;
  engines: EngineStarter;
  /** Close the journal with the operations (the CLI does; the server keeps it). */
  ownsJournal?: boolean;
}

export class JournalOperations implements Operations {
  constructor(
    private readonly journal: Journal,
    private readonly options: JournalOperationsOptions,
  ) {}

  async deploy(request: DeployRequest) {
    const user = this.options.identity(request.as);
    const { deployment, expanded } = await createDeployment(this.journal, {
      planPath: request.planPath,
      snapshot: request.snapshot,
      version: request.version,
      requestedBy: user,
      queue: request.queue,
      previousVersion: request.previousVersion,
      overrideWindow: request.overrideWindow,
    });
    const driverPid = this.options.engines.started(deployment.id);
    const log = this.options.engines.logPath?.(deployment.id);
    return { deployment, stepCount: expanded.main.length, user, driverPid, log };
  }

  async inspect(id: string) {
    const view = await loadDeployment(this.journal, id);
    const lease = await this.journal.getLease(id);
    const leaseAlive =
      lease !== undefined && !isHolderDeadHere(lease) && Date.parse(lease.expiresAt) > Date.now();
    return { view, lease, leaseAlive };
  }

  readEvents(id: string, fromIndex = 0) {
    return this.journal.readEvents(id, fromIndex);
  }

  listDeployments(filter?: DeploymentFilter) {
    return this.journal.listDeployments(filter);
  }

  async approve(id: string, request: ApproveRequest) {
    const user = this.options.identity(request.as);
    const { events } = await loadDeployment(this.journal, id);
    const granted = await approve(this.journal, id, {
      user,
      comment: request.comment,
      role: request.role,
      analysis: analysisSeen(events, request.seenEventIndex),
    });
    return { ...granted, user };
  }

  async check(id: string, item: string, as?: string) {
    const user = this.options.identity(as);
    return { ...(await checkItem(this.journal, id, item, user)), user };
  }

  async command(id: string, command: OperatorCommand, request: CommandRequest) {
    const user = this.options.identity(request.as);
    await giveCommand(this.journal, id, command, { user, reason: request.reason, full: request.full });
    return { user, engineStarted: await this.options.engines.ensure(id) };
  }

  async resume(id: string, request: ResumeRequestInput) {
    const user = this.options.identity(request.as);
    const snapshot =
      request.planSnapshot ??
      (request.planPath
        ? { path: resolve(request.planPath), source: readPlanFile(resolve(request.planPath)) }
        : undefined);
    const actions = await answerResume(this.journal, id, user, {
      retry: request.retry,
      skip: request.skip,
      replan: request.replan,
      plan: snapshot && { snapshot, label: request.planPath ?? snapshot.path },
    });
    const started = await this.options.engines.ensure(
      id,
      request.replan && !snapshot ? ['--replan', '--as', user] : [],
    );
    if (started) actions.push(`started its engine (pid ${started})`);
    return { actions, user };
  }

  async acknowledge(id: string, request: AcknowledgeRequest) {
    const user = this.options.identity(request.as);
    return { ...(await acknowledge(this.journal, id, { user, comment: request.comment })), user };
  }

  async rollback(service: string, request: RollbackRequestInput) {
    const user = this.options.identity(request.as);
    const outcome = await requestRollback(this.journal, service, { ...request, user });
    if (outcome.aborted) await this.options.engines.ensure(outcome.id);
    else this.options.engines.started(outcome.id);
    return { ...outcome, user };
  }

  verifyAudit() {
    return verifyChain(this.journal);
  }

  putUser(name: string, roles: string[]) {
    return this.journal.putUser(name, roles);
  }

  listUsers() {
    return this.journal.listUsers();
  }

  createToken(request: TokenRequest) {
    return issueToken(this.journal, request);
  }

  listTokens() {
    return this.journal.listTokens();
  }

  revokeToken(id: string) {
    return this.journal.revokeToken(id);
  }

  async close() {
    if (this.options.ownsJournal) await this.journal.close();
  }
}
