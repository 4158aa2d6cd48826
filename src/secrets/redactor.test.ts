import { describe, expect, it } from 'vitest';
import { Redactor } from './redactor.js';

const secrets = new Map([
  ['DB_PASSWORD', 's3cr3t/pa"ss'],
  ['TOKEN', 'tok_abcdef'],
]);

describe('Redactor', () => {
  const redactor = new Redactor(secrets);

  it('replaces a plain secret value with a marker naming it', () => {
    expect(redactor.text('login with tok_abcdef now')).toBe('login with [redacted:TOKEN] now');
  });

  it('catches the JSON-escaped, URL-encoded and base64 forms', () => {
    expect(redactor.text(JSON.stringify({ p: 's3cr3t/pa"ss' }))).not.toContain('s3cr3t');
    expect(redactor.text(`postgres://u:${encodeURIComponent('s3cr3t/pa"ss')}@h/db`)).toContain(
      '[redacted:DB_PASSWORD]',
    );
    expect(redactor.text(Buffer.from('tok_abcdef').toString('base64'))).toBe('[redacted:TOKEN]');
  });

  it('redacts strings nested in objects', () => {
    expect(redactor.value({ output: ['x tok_abcdef'] })).toEqual({ output: ['x [redacted:TOKEN]'] });
  });
});
