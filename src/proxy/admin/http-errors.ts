// How errors travel over the admin API: a status from the error's code, and a JSON body the client turns
// back into the same GantryError (code, message, where, hint, context).

import { ErrorCode, GantryError, toError } from '../../errors.js';
import type { ApiErrorBody } from '../api.js';

const STATUS_OF_CODE: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.usage]: 400,
  [ErrorCode.notAllowed]: 401,
  [ErrorCode.invalidState]: 409,
  [ErrorCode.timeout]: 504,
  [ErrorCode.target]: 500,
};

export function errorResponse(thrown: unknown): { status: number; body: ApiErrorBody } {
  const error = toError(thrown);
  if (!(error instanceof GantryError)) {
    return {
      status: 500,
      body: {
        error: {
          code: ErrorCode.internal,
          message: `gantry-proxy failed: ${error.message}`,
          hint: 'this is a bug; the proxy log has the details',
        },
      },
    };
  }
  const { httpStatus, ...context } = error.context;
  const status = typeof httpStatus === 'number' ? httpStatus : (STATUS_OF_CODE[error.code] ?? 500);
  return {
    status,
    body: {
      error: { ...context, code: error.code, message: error.message, where: error.where, hint: error.hint },
    },
  };
}

export function unauthorized(tokenPath: string): { status: number; body: ApiErrorBody } {
  return {
    status: 401,
    body: {
      error: {
        code: ErrorCode.notAllowed,
        message: 'missing or wrong bearer token',
        hint: `send "Authorization: Bearer <token>" with the token from ${tokenPath}`,
      },
    },
  };
}

export function badRequest(message: string, hint: string): GantryError {
  return new GantryError('GANTRY_USAGE', message, { hint });
}
