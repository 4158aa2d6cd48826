// A problem in a plan file, placed at file:line:col, and printed the way compilers do: the message,
// the source line, and a caret under the spot.

import { type Document, isMap, isScalar, type LineCounter, type Node } from 'yaml';
import type { Problem } from './issues.js';
import { keySpan, locate, type Span, spanInScalar, spanOf } from './positions.js';

export interface Diagnostic {
  file: string;
  /** 1-based; the end is just past the last character of the span. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** Where in the plan, as keys and indexes: ["strategy", "canary", "steps", 2]. */
  path: (string | number)[];
  /** Character offsets of the span in the source, for the caret. */
  start: number;
  end: number;
}

export interface SourceFile {
  file: string;
  source: string;
  lineCounter: LineCounter;
}

export function diagnosticAt(
  at: SourceFile,
  span: Span,
  message: string,
  path: readonly PropertyKey[],
): Diagnostic {
  const startPos = at.lineCounter.linePos(span.start);
  const endPos = at.lineCounter.linePos(span.end);
  return {
    file: at.file,
    line: startPos.line,
    column: startPos.col,
    endLine: endPos.line,
    endColumn: endPos.col,
    message,
    path: path.map((key) => (typeof key === 'number' ? key : String(key))),
    start: span.start,
    end: span.end,
  };
}

export function diagnosticFor(problem: Problem, doc: Document, at: SourceFile): Diagnostic {
  return diagnosticAt(at, spanFor(problem, doc, at.source), problem.message, problem.path);
}

function spanFor(problem: Problem, doc: Document, source: string): Span {
  const { target, path } = problem;
  const lookup = target.kind === 'missing' ? path.slice(0, -1) : path;
  const { node, pair, depth } = locate(doc, lookup);
  const exact = depth === lookup.length;
  const fallback = spanOf(node, source) ?? { start: 0, end: 1 };
  if (target.kind === 'text' && exact && node)
    return textSpan(node, target.offset, target.length, source) ?? fallback;
  // A whole section or an absent key: point at the key that names the section, not its multi-line body.
  const preferKey =
    target.kind === 'key' || target.kind === 'missing' || (!isScalar(node) && pair !== undefined);
  return (preferKey && exact ? keySpan(pair, source) : undefined) ?? fallback;
}

/** Inside a string; for a rule written as a one-key map (`- RULE: tier`), inside its key. */
function textSpan(node: Node, offset: number, length: number, source: string): Span | undefined {
  if (isScalar(node)) return spanInScalar(node, offset, length, source);
  if (!isMap(node) || node.items.length !== 1) return undefined;
  const pair = node.items[0];
  const key = pair?.key as Node | undefined;
  if (key && isScalar(key) && typeof key.value === 'string' && offset < key.value.length) {
    return spanInScalar(key, offset, length, source);
  }
  return spanOf(pair?.value as Node | undefined, source);
}

/** Every diagnostic with its source line and a caret line, separated by blank lines. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], source: string): string {
  const lines = source.split(/\r?\n/);
  return diagnostics.map((diagnostic) => formatOne(diagnostic, lines)).join('\n\n');
}

function formatOne(diagnostic: Diagnostic, lines: readonly string[]): string {
  const head = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.message}`;
  const text = lines[diagnostic.line - 1];
  if (text === undefined) return head;
  const gutter = String(diagnostic.line).padStart(4);
  const blank = ' '.repeat(gutter.length);
  const startCol = diagnostic.column - 1;
  const lastCol = diagnostic.endLine === diagnostic.line ? diagnostic.endColumn - 1 : text.length;
  const width = Math.max(1, Math.min(lastCol, text.length) - startCol);
  // Keep tabs so the caret lines up under tab-indented text.
  const pad = text.slice(0, startCol).replace(/[^\t]/g, ' ');
  return `${head}\n${gutter} | ${text}\n${blank} | ${pad}^${'~'.repeat(width - 1)}`;
}
