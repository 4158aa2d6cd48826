// Talking to the Gantry server from the page: JSON over fetch with the session cookie, errors as the
// server words them (message and hint).

import type { JournalEvent } from '../../src/journal/journal.js';

export type { JournalEvent };

export interface Me {
  name: string;
  roles: string[];
  actions: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  // Changes always send JSON: the server refuses cookie-authenticated changes that do not (CSRF).
  const sendsBody = method !== 'GET' && method !== 'HEAD';
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(sendsBody ? { 'content-type': 'application/json' } : {}) },
    body: sendsBody ? JSON.stringify(body ?? {}) : undefined,
  });
  const parsed = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = parsed?.error ?? {};
    throw new ApiError(
      response.status,
      error.code ?? 'GANTRY_SERVER',
      error.message ?? `the server answered ${response.status}`,
      error.hint,
    );
  }
  return parsed as T;
}

export interface DeploymentSummary {
  id: string;
  service: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  requestedBy: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceEnvironment {
  service: string;
  environment: string;
  currentVersion: string | null;
  inProgress: DeploymentSummary | null;
  latest: DeploymentSummary;
}

export interface StepOutline {
  id: string;
  track: string;
  index: number;
  section: string;
  kind: string;
  name: string;
  items?: string[];
  approvals?: Array<{ role: string; count: number }>;
}

export interface MetricBand {
  metric: string;
  role: string;
  operator: string;
  value: number;
  unit: 'ratio' | 'ms' | 'bytes' | 'number';
  tier: 'warn' | 'pause' | 'reduce' | 'rollback';
  text: string;
}

export interface DeploymentDetail {
  record: DeploymentSummary & { plan: { path: string; source: string } };
  steps: { main: StepOutline[]; rollback: StepOutline[] };
  bands: MetricBand[];
  engine: { alive: boolean; lease: { holderId: string; host: string; pid: number } | null };
}

export interface AuditStatus {
  ok: boolean;
  eventsChecked: number;
  problems: Array<{ message: string }>;
  checkedAt: string;
}
