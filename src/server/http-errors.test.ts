import { describe, expect, it } from 'vitest';
import { formatError, GantryError } from '../errors.js';
import { errorBody, errorFromBody } from './http-errors.js';

describe('errors over HTTP', () => {
  it('gives each code its status and rebuilds the same error on the client', () => {
    const error = new GantryError('GANTRY_LOCKED', 'shop-api in production is already being deployed: d-1', {
      hint: 'wait for it',
      where: 'd-2',
      context: { holder: 'd-1' },
    });
    const { status, body } = errorBody(error);
    expect(status).toBe(409);
    const rebuilt = errorFromBody(JSON.parse(JSON.stringify(body)), status);
    expect(formatError(rebuilt)).toBe(formatError(error));
    expect(rebuilt.isBadInput).toBe(true);
    expect(rebuilt.context).toEqual({ holder: 'd-1' });
  });

  it('answers 500 without details for an unexpected error', () => {
    const { status, body } = errorBody(new TypeError('x is undefined at /srv/secret/path.js'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('/srv/secret');
  });
});
