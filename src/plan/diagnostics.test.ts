import { describe, expect, it } from 'vitest';
import { type Diagnostic, formatDiagnostics } from './diagnostics.js';

function diagnostic(fields: Partial<Diagnostic>): Diagnostic {
  return {
    file: 'p.yaml',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    message: 'm',
    path: [],
    start: 0,
    end: 1,
    ...fields,
  };
}

describe('formatDiagnostics', () => {
  it('underlines the span with a caret and tildes under the source line', () => {
    const source = 'service: shop api\n';
    const text = formatDiagnostics([diagnostic({ column: 10, endColumn: 18, message: 'bad name' })], source);
    expect(text).toBe(
      ['p.yaml:1:10: bad name', '   1 | service: shop api', '     |          ^~~~~~~~'].join('\n'),
    );
  });

  it('keeps tabs so the caret lines up, and stops a multi-line span at the end of its first line', () => {
    const source = '\tkey: value\n\tmore\n';
    const text = formatDiagnostics([diagnostic({ column: 2, endLine: 2, endColumn: 3 })], source);
    expect(text.split('\n')[2]).toBe('     | \t^~~~~~~~~~');
  });

  it('shows a single caret for an empty span, such as an empty file', () => {
    expect(formatDiagnostics([diagnostic({ endColumn: 1 })], '')).toBe('p.yaml:1:1: m\n   1 | \n     | ^');
  });
});
