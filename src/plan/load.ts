// Reads a plan file: YAML with positions, then the schema, then the references between its parts.
// An invalid plan yields every problem found, each placed at file:line:col.

import { readFile } from 'node:fs/promises';
import { type Document, isMap, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { ErrorCode, GantryError, toError } from '../errors.js';
import { type Diagnostic, diagnosticAt, diagnosticFor, type SourceFile } from './diagnostics.js';
import { problemsFrom } from './issues.js';
import { planJsonSchema } from './json-schema.js';
import { planErrorMap } from './messages.js';
import { spanOf } from './positions.js';
import { referenceProblems } from './references.js';
import { type Plan, planSchema } from './schema/plan.js';
import { describeValue } from './wording.js';

export type PlanLoad =
  | { ok: true; plan: Plan; source: string; file: string; document: Document }
  | { ok: false; diagnostics: Diagnostic[]; source: string; file: string };

export async function loadPlanFile(path: string): Promise<PlanLoad> {
  return parsePlan(await readPlanText(path), path);
}

export function parsePlan(source: string, file: string): PlanLoad {
  const lineCounter = new LineCounter();
  const at: SourceFile = { file, source, lineCounter };
  const invalid = (diagnostics: Diagnostic[]): PlanLoad => ({
    ok: false,
    diagnostics: sorted(diagnostics),
    source,
    file,
  });
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const yamlProblems = [...doc.errors, ...doc.warnings].map((error) => yamlDiagnostic(error, at));
  if (yamlProblems.length > 0) return invalid(firstPerLine(yamlProblems));
  if (!isMap(doc.contents)) return invalid([notAMap(doc, at)]);

  let input: unknown;
  try {
    input = doc.toJS();
  } catch (thrown) {
    // yaml refuses documents whose aliases expand without bound ("billion laughs").
    return invalid([
      diagnosticAt(at, { start: 0, end: 1 }, `cannot expand the plan: ${toError(thrown).message}`, []),
    ]);
  }
  const result = planSchema.safeParse(input, { error: planErrorMap });
  const problems = [
    ...(result.success ? [] : problemsFrom(result.error.issues, input, planJsonSchema())),
    ...referenceProblems(doc, input),
  ];
  if (result.success && problems.length === 0)
    return { ok: true, plan: result.data, source, file, document: doc };
  return invalid(problems.map((problem) => diagnosticFor(problem, doc, at)));
}

async function readPlanText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (thrown) {
    const error = toError(thrown) as NodeJS.ErrnoException;
    const [message, hint] =
      error.code === 'ENOENT'
        ? [`no plan file at ${path}`, 'check the path; examples/hello-runbook.yaml is a plan to start from']
        : error.code === 'EISDIR'
          ? [`${path} is a folder, not a plan file`, 'name the YAML file inside it, such as plan.yaml']
          : [`cannot read ${path}: ${error.message}`, "check the file's permissions"];
    throw new GantryError(ErrorCode.planNotFound, message, { where: path, hint, cause: error });
  }
}

function yamlDiagnostic(error: YAMLError, at: SourceFile): Diagnostic {
  const [start, end] = error.pos;
  // yaml marks only the first character of a duplicate key; read the whole key from there.
  const written = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(at.source.slice(start))?.[1]?.trim() ?? '';
  const span = { start, end: Math.max(end, start + (error.code === 'DUPLICATE_KEY' ? written.length : 1)) };
  const messages: Partial<Record<YAMLError['code'], string>> = {
    DUPLICATE_KEY: `duplicate key '${written}'; each key may appear once in a map`,
    TAB_AS_INDENT: 'a tab is used for indentation; YAML indents with spaces only',
    MULTIPLE_DOCS: "a plan file holds one YAML document; remove the '---' that starts a second one",
  };
  const plain = error.message.charAt(0).toLowerCase() + error.message.slice(1);
  return diagnosticAt(
    at,
    span,
    messages[error.code] ?? `invalid YAML: ${plain}${flowHint(at.source, start)}`,
    [],
  );
}

/** The usual cause of "unexpected … at node end": a `{`, `}` or `,` inside an unquoted value in `{ … }`. */
function flowHint(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const before = source.slice(lineStart, offset);
  if (!before.includes('{') && !before.includes('[')) return '';
  return '; inside { … } or [ … ], quote values that contain ${…}, braces, brackets or commas';
}

/** One mistake often confuses the parser several times on the same line; the first report is the useful one. */
function firstPerLine(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter(
    (diagnostic, index) => diagnostics.findIndex((other) => other.line === diagnostic.line) === index,
  );
}

function notAMap(doc: Document, at: SourceFile): Diagnostic {
  const contents = doc.contents;
  if (!contents) {
    const message =
      'the plan is empty; a plan needs at least service: and steps: (see examples/hello-runbook.yaml)';
    return diagnosticAt(at, { start: 0, end: 0 }, message, []);
  }
  const message = `a plan is a map of keys such as service: and steps:, got ${describeValue(contents.toJSON())}`;
  return diagnosticAt(at, spanOf(contents, at.source) ?? { start: 0, end: 1 }, message, []);
}

/** In file order; the same problem found twice (by the schema and by the reference checks) is kept once. */
function sorted(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .filter((diagnostic) => {
      const key = `${diagnostic.start}:${diagnostic.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
