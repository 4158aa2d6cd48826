// GantryErrors over HTTP: each code has one status, and the body carries the error as the CLI prints it,
// so a verb run against a server fails with the same message, hint and exit code as one run locally.

import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCode, GantryError, toError } from '../errors.js';

const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  GANTRY_USAGE: 400,
  GANTRY_PLAN_INVALID: 400,
  GANTRY_PLAN_NOT_FOUND: 400,
  GANTRY_SECRET_MISSING: 400,
  GANTRY_UNAUTHENTICATED: 401,
  GANTRY_NOT_ALLOWED: 403,
  GANTRY_DEPLOYMENT_NOT_FOUND: 404,
  GANTRY_USER_NOT_FOUND: 404,
  GANTRY_LOCKED: 409,
  GANTRY_INVALID_STATE: 409,
  GANTRY_PLAN_CHANGED: 409,
  GANTRY_RATE_LIMITED: 429,
};

export function statusOf(error: GantryError): ContentfulStatusCode {
  return STATUS[error.code] ?? 500;
}

export interface ErrorBody {
  error: { code: string; message: string; where?: string; hint?: string; [key: string]: unknown };
}

export function errorBody(thrown: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  const error = toError(thrown);
  if (error instanceof GantryError)
    return { status: statusOf(error), body: { error: error.toJSON() as ErrorBody['error'] } };
  // An unexpected error is logged by the server; the client learns only that it happened.
  return {
    status: 500,
    body: { error: { code: 'GANTRY_INTERNAL', message: 'the server failed to answer; see its log' } },
  };
}

/** The GantryError a client rebuilds from an error body. */
export function errorFromBody(body: ErrorBody, status: number): GantryError {
  const { code, message, where, hint, ...context } = body.error;
  return new GantryError((code || 'GANTRY_SERVER') as ErrorCode, message || `the server answered ${status}`, {
    where,
    hint,
    context,
  });
}
