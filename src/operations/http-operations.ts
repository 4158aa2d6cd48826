// Operations answered by a `gantry server`: each is one HTTP request with the token as a bearer; errors
// come back as the GantryErrors the server raised, so verbs print and exit exactly as they do locally.
// Plan files are read here, on the caller's machine, and sent as text.

import { resolve } from 'node:path';
import type { OperatorCommand } from '../deployment/events.js';
import { foldEvents } from '../deployment/state.js';
import type { Acknowledged } from '../engine/acknowledge.js';
import { readPlanFile } from '../engine/create.js';
import { GantryError } from '../errors.js';
import type { AuditReport } from '../journal/audit.js';
import type {
  DeploymentFilter,
  DeploymentRecord,
  JournalEvent,
  TokenRecord,
  UserRecord,
} from '../journal/journal.js';
import type { DeploymentDetail } from '../server/deployment-detail.js';
import { type ErrorBody, errorFromBody } from '../server/http-errors.js';
import type {
  AcknowledgeRequest,
  ApproveRequest,
  CommandRequest,
  Deployed,
  DeployRequest,
  Inspection,
  Operations,
  ResumeRequestInput,
  RollbackRequestInput,
  TokenRequest,
} from './operations.js';

export class HttpOperations implements Operations {
  private readonly base: string;

  constructor(
    serverUrl: string,
    private readonly token: string | undefined,
  ) {
    this.base = serverUrl.replace(/\/+$/, '');
  }

  async deploy(request: DeployRequest): Promise<Deployed> {
    const path = resolve(request.planPath);
    const { planPath: _path, snapshot: _snapshot, ...rest } = request;
    return this.call('POST', '/api/deployments', { ...rest, plan: { path, source: readPlanFile(path) } });
  }

  async inspect(id: string): Promise<Inspection> {
    const [detail, events] = await Promise.all([
      this.call<DeploymentDetail>('GET', `/api/deployments/${enc(id)}`),
      this.readEvents(id, 0),
    ]);
    return {
      view: { record: detail.record, events, state: foldEvents(events) },
      lease: detail.engine.lease ?? undefined,
      leaseAlive: detail.engine.alive,
    };
  }

  readEvents(id: string, fromIndex = 0): Promise<JournalEvent[]> {
    return this.call('GET', `/api/deployments/${enc(id)}/events?from=${fromIndex}`);
  }

  listDeployments(filter: DeploymentFilter = {}): Promise<DeploymentRecord[]> {
    const query = new URLSearchParams();
    if (filter.service) query.set('service', filter.service);
    if (filter.environment) query.set('environment', filter.environment);
    if (filter.statuses) query.set('status', filter.statuses.join(','));
    if (filter.limit) query.set('limit', String(filter.limit));
    return this.call('GET', `/api/deployments?${query}`);
  }

  approve(id: string, request: ApproveRequest) {
    return this.call<{ stepId: string; role: string; user: string }>(
      'POST',
      `/api/deployments/${enc(id)}/approve`,
      request,
    );
  }

  check(id: string, item: string, as?: string) {
    return this.call<{ stepId: string; item: string; remaining: number; user: string }>(
      'POST',
      `/api/deployments/${enc(id)}/check`,
      { item, as },
    );
  }

  command(id: string, command: OperatorCommand, request: CommandRequest) {
    return this.call<{ user: string; engineStarted?: number }>(
      'POST',
      `/api/deployments/${enc(id)}/${command}`,
      request,
    );
  }

  resume(id: string, request: ResumeRequestInput) {
    const { planPath, planSnapshot: _snapshot, ...rest } = request;
    const plan = planPath
      ? { path: resolve(planPath), source: readPlanFile(resolve(planPath)), label: planPath }
      : undefined;
    return this.call<{ actions: string[]; user: string }>('POST', `/api/deployments/${enc(id)}/resume`, {
      ...rest,
      plan,
    });
  }

  acknowledge(id: string, request: AcknowledgeRequest) {
    return this.call<Acknowledged & { user: string }>('POST', `/api/deployments/${enc(id)}/ack`, request);
  }

  rollback(service: string, request: RollbackRequestInput) {
    return this.call<{ id: string; aborted: boolean; user: string }>(
      'POST',
      `/api/services/${enc(service)}/rollback`,
      request,
    );
  }

  verifyAudit(): Promise<AuditReport> {
    return this.call('GET', '/api/audit');
  }

  putUser(name: string, roles: string[]): Promise<UserRecord> {
    return this.call('PUT', `/api/users/${enc(name)}`, { roles });
  }

  listUsers(): Promise<UserRecord[]> {
    return this.call('GET', '/api/users');
  }

  createToken(request: TokenRequest): Promise<{ token: string; record: TokenRecord }> {
    return this.call('POST', '/api/tokens', request);
  }

  listTokens(): Promise<TokenRecord[]> {
    return this.call('GET', '/api/tokens');
  }

  async revokeToken(id: string): Promise<boolean> {
    return (await this.call<{ revoked: boolean }>('DELETE', `/api/tokens/${enc(id)}`)).revoked;
  }

  async close(): Promise<void> {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      throw new GantryError('GANTRY_SERVER', `cannot reach the Gantry server at ${this.base}`, {
        hint: 'check GANTRY_SERVER / --server and that `gantry server` is running there',
        cause,
      });
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      if (parsed && typeof parsed === 'object' && 'error' in parsed)
        throw errorFromBody(parsed as ErrorBody, response.status);
      throw new GantryError('GANTRY_SERVER', `${method} ${url} answered ${response.status}`, {
        hint: 'is GANTRY_SERVER the address of a gantry server?',
      });
    }
    return parsed as T;
  }
}

function enc(part: string): string {
  return encodeURIComponent(part);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
