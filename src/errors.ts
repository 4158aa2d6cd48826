// Typed errors with a stable code: what happened, where, and what to do next.
// Exceptions are for bad input, broken infrastructure and bugs; expected outcomes are journal records.

export const ErrorCode = {
  usage: 'GANTRY_USAGE',
  planInvalid: 'GANTRY_PLAN_INVALID',
  planNotFound: 'GANTRY_PLAN_NOT_FOUND',
  planChanged: 'GANTRY_PLAN_CHANGED',
  secretMissing: 'GANTRY_SECRET_MISSING',
  deploymentNotFound: 'GANTRY_DEPLOYMENT_NOT_FOUND',
  locked: 'GANTRY_LOCKED',
  leaseLost: 'GANTRY_LEASE_LOST',
  notAllowed: 'GANTRY_NOT_ALLOWED',
  invalidState: 'GANTRY_INVALID_STATE',
  userNotFound: 'GANTRY_USER_NOT_FOUND',
  unauthenticated: 'GANTRY_UNAUTHENTICATED',
  rateLimited: 'GANTRY_RATE_LIMITED',
  server: 'GANTRY_SERVER',
  journal: 'GANTRY_JOURNAL',
  stepFailed: 'GANTRY_STEP_FAILED',
  timeout: 'GANTRY_TIMEOUT',
  target: 'GANTRY_TARGET',
  metrics: 'GANTRY_METRICS',
  internal: 'GANTRY_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes that mean the input was wrong: the CLI exits 2 for these. */
const BAD_INPUT: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.usage,
  ErrorCode.planInvalid,
  ErrorCode.planNotFound,
  ErrorCode.planChanged,
  ErrorCode.secretMissing,
  ErrorCode.deploymentNotFound,
  ErrorCode.locked,
  ErrorCode.notAllowed,
  ErrorCode.invalidState,
  ErrorCode.userNotFound,
  ErrorCode.unauthenticated,
  ErrorCode.rateLimited,
]);

export interface ErrorDetails {
  /** What the user can do about it, as a sentence. */
  hint?: string;
  /** Where it happened: a file:line:col, a step id, a deployment id. */
  where?: string;
  /** Machine-readable context for `-o json` and the journal. */
  context?: Record<string, unknown>;
  cause?: unknown;
}

export class GantryError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly where: string | undefined;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GantryError';
    this.code = code;
    this.hint = details.hint;
    this.where = details.where;
    this.context = details.context ?? {};
  }

  get isBadInput(): boolean {
    return BAD_INPUT.has(this.code);
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, where: this.where, hint: this.hint, ...this.context };
  }
}

/** Coerces anything thrown into an Error, so every catch can rely on `.message`. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

export function isGantryError(thrown: unknown, code?: ErrorCode): thrown is GantryError {
  return thrown instanceof GantryError && (code === undefined || thrown.code === code);
}

/** One line for a terminal: the message, where, and the hint. */
export function formatError(error: Error): string {
  if (!(error instanceof GantryError)) return `error: ${error.message}`;
  const where = error.where ? ` (${error.where})` : '';
  const hint = error.hint ? `\n  → ${error.hint}` : '';
  return `error [${error.code}]${where}: ${error.message}${hint}`;
}
