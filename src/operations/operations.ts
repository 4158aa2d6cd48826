// What the CLI's verbs ask of Gantry, as one interface: answered from the local journal
// (journal-operations.ts) or by a `gantry server` over HTTP (http-operations.ts). The server itself
// answers its routes with the journal implementation, acting as the token's user.

import type { OperatorCommand } from '../deployment/events.js';
import type { Acknowledged } from '../engine/acknowledge.js';
import type { DeploymentView } from '../engine/inspect.js';
import type { AuditReport } from '../journal/audit.js';
import type {
  DeploymentFilter,
  DeploymentRecord,
  JournalEvent,
  Lease,
  PlanSnapshot,
  TokenRecord,
  UserRecord,
} from '../journal/journal.js';

export interface DeployRequest {
  /** Path of the plan file as the user gave it; read where the request is made. */
  planPath: string;
  /** The plan text, when it was read elsewhere (by the CLI, for a server); planPath is then its path there. */
  snapshot?: PlanSnapshot;
  version: string;
  queue?: boolean;
  previousVersion?: string;
  overrideWindow?: { reason: string };
  as?: string;
}

export interface Deployed {
  deployment: DeploymentRecord;
  stepCount: number;
  user: string;
  /** The engine process started for it, when this machine started one (not over a server). */
  driverPid?: number;
  log?: string;
}

export interface Inspection {
  view: DeploymentView;
  lease: Lease | undefined;
  /** Whether the lease belongs to a live engine. */
  leaseAlive: boolean;
}

export interface ApproveRequest {
  comment?: string;
  role?: string;
  as?: string;
  /** The last event index the approver saw; the analysis up to it is recorded. Default: all of it. */
  seenEventIndex?: number;
}

export interface CommandRequest {
  reason?: string;
  full?: boolean;
  as?: string;
}

export interface ResumeRequestInput {
  retry?: boolean;
  skip?: boolean;
  replan?: boolean;
  /** With replan: the path of an edited plan file. */
  planPath?: string;
  /** The edited plan's text, when it was read elsewhere. */
  planSnapshot?: PlanSnapshot;
  as?: string;
}

export interface RollbackRequestInput {
  environment: string;
  to?: string;
  reason?: string;
  as?: string;
}

export interface AcknowledgeRequest {
  comment?: string;
  as?: string;
}

export interface TokenRequest {
  user: string;
  expiresInMs?: number;
  description?: string;
}

export interface Operations {
  deploy(request: DeployRequest): Promise<Deployed>;
  inspect(id: string): Promise<Inspection>;
  readEvents(id: string, fromIndex?: number): Promise<JournalEvent[]>;
  listDeployments(filter?: DeploymentFilter): Promise<DeploymentRecord[]>;
  approve(id: string, request: ApproveRequest): Promise<{ stepId: string; role: string; user: string }>;
  check(
    id: string,
    item: string,
    as?: string,
  ): Promise<{ stepId: string; item: string; remaining: number; user: string }>;
  command(
    id: string,
    command: OperatorCommand,
    request: CommandRequest,
  ): Promise<{ user: string; engineStarted?: number }>;
  resume(id: string, request: ResumeRequestInput): Promise<{ actions: string[]; user: string }>;
  /** `gantry ack`: take the escalation running for a deployment. */
  acknowledge(id: string, request: AcknowledgeRequest): Promise<Acknowledged & { user: string }>;
  rollback(
    service: string,
    request: RollbackRequestInput,
  ): Promise<{ id: string; aborted: boolean; user: string }>;
  verifyAudit(): Promise<AuditReport>;
  putUser(name: string, roles: string[]): Promise<UserRecord>;
  listUsers(): Promise<UserRecord[]>;
  createToken(request: TokenRequest): Promise<{ token: string; record: TokenRecord }>;
  listTokens(): Promise<TokenRecord[]>;
  revokeToken(id: string): Promise<boolean>;
  close(): Promise<void>;
}
