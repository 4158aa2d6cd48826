// docs/plan-reference.md, generated from the plan's JSON Schema: a section per top-level key with every
// key beneath it (type, default, description), and each kind of step, channel, backup… documented once.

import type { JsonSchema } from './json-schema.js';
import { planJsonSchema } from './json-schema.js';
import { ruleLanguage } from './rule-doc.js';
import { DURATION_PATTERN } from './schema/common.js';

interface Row {
  key: string;
  schema: JsonSchema;
  required: boolean;
}

export function planReferenceMarkdown(root: JsonSchema = planJsonSchema()): string {
  const kinds = new Map<string, JsonSchema>();
  const out = [
    '# Plan reference (format 1)',
    '',
    '<!-- Generated from the schema in src/plan/schema/ by `npm run schema`. Do not edit by hand. -->',
    '',
    `${root.description ?? ''} Editors that read \`schema/plan.schema.json\` check and complete plans as you type.`,
    'Durations are written like `500ms`, `30s`, `5m` or `1h30m`.',
  ];
  for (const [key, schema] of Object.entries(root.properties ?? {})) {
    const required = root.required?.includes(key) ?? false;
    out.push(
      '',
      `## ${key}`,
      '',
      describeLine(schema, required, kinds),
      ...table(rowsBelow(key, schema, kinds), kinds),
    );
  }
  for (const [title, union] of kinds) {
    out.push('', `## Kinds of ${title}`, '', union.description ?? '', '');
    out.push(
      `A ${title} is a map with exactly one of ${(union.anyOf ?? []).map(tellingKey).map(code).join(', ')}.`,
    );
    for (const branch of union.anyOf ?? []) {
      const name = tellingKey(branch);
      const rows = Object.entries(branch.properties ?? {}).flatMap(([key, schema]) =>
        rowsFrom(key, schema, branch.required?.includes(key) ?? false, kinds),
      );
      out.push(
        '',
        `### ${title}: ${name}`,
        '',
        branch.properties?.[name]?.description ?? '',
        ...table(rows, kinds),
      );
    }
  }
  out.push('', ...ruleLanguage());
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

function describeLine(schema: JsonSchema, required: boolean, kinds: Map<string, JsonSchema>): string {
  const facts = [typeName(schema, kinds), required ? 'required' : defaultText(schema)]
    .filter(Boolean)
    .join(', ');
  return `${schema.description ?? ''}\n\nType: ${facts}.`.trim();
}

function rowsBelow(prefix: string, schema: JsonSchema, kinds: Map<string, JsonSchema>): Row[] {
  const rows: Row[] = [];
  for (const part of objectParts(schema)) {
    for (const [key, child] of Object.entries(part.schema.properties ?? {})) {
      rows.push(
        ...rowsFrom(
          `${prefix}${part.suffix}.${key}`,
          child,
          part.schema.required?.includes(key) ?? false,
          kinds,
        ),
      );
    }
  }
  return rows;
}

function rowsFrom(key: string, schema: JsonSchema, required: boolean, kinds: Map<string, JsonSchema>): Row[] {
  return [{ key, schema, required }, ...rowsBelow(key, schema, kinds)];
}

/** The maps a schema holds directly, in lists or as map values; titled unions are documented on their own. */
function objectParts(schema: JsonSchema): { suffix: string; schema: JsonSchema }[] {
  if (schema.title) return [];
  if (schema.properties) return [{ suffix: '', schema }];
  if (schema.items) return objectParts(schema.items).map((part) => ({ ...part, suffix: `[]${part.suffix}` }));
  if (typeof schema.additionalProperties === 'object') {
    return objectParts(schema.additionalProperties).map((part) => ({
      ...part,
      suffix: `.<name>${part.suffix}`,
    }));
  }
  return (schema.anyOf ?? []).flatMap(objectParts);
}

function table(rows: Row[], kinds: Map<string, JsonSchema>): string[] {
  if (rows.length === 0) return [];
  const lines = ['', '| Key | Type | Default | Description |', '|---|---|---|---|'];
  for (const { key, schema, required } of rows) {
    const cells = [
      code(key),
      typeName(schema, kinds),
      required ? 'required' : defaultText(schema) || '—',
      schema.description ?? '',
    ];
    lines.push(`| ${cells.map((cell) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`);
  }
  return lines;
}

function typeName(schema: JsonSchema, kinds: Map<string, JsonSchema>): string {
  if (schema.title && schema.anyOf) {
    // A union told apart by a key (steps, channels…) gets its own section; others are just named.
    if (schema.title === 'rule') return '[rule](#rule-language)';
    if (!schema.anyOf.some((branch) => branch.required?.length)) return schema.title;
    kinds.set(schema.title, schema);
    return `[${schema.title}](#kinds-of-${schema.title.replaceAll(' ', '-')})`;
  }
  if (schema.anyOf) return schema.anyOf.map((branch) => typeName(branch, kinds)).join(' or ');
  if (schema.const !== undefined) return code(JSON.stringify(schema.const));
  if (schema.enum) return schema.enum.map((value) => code(JSON.stringify(value))).join(', ');
  switch (schema.type) {
    case 'string':
      return schema.pattern === DURATION_PATTERN.source ? 'duration' : 'text';
    case 'null':
      return 'nothing';
    case 'integer':
      return `whole number${range(schema)}`;
    case 'number':
      return `number${range(schema)}`;
    case 'boolean':
      return '`true` or `false`';
    case 'array':
      return schema.items ? `list of ${typeName(schema.items, kinds)}` : 'list';
    case 'object':
      if (schema.properties || typeof schema.additionalProperties !== 'object') return 'map';
      return `map of ${keyName(schema)} to ${typeName(schema.additionalProperties, kinds)}`;
    default:
      return 'any';
  }
}

function keyName(schema: JsonSchema): string {
  const keys = schema.propertyNames?.enum;
  return keys ? `${keys.map((key) => code(String(key))).join(', ')}` : 'name';
}

function range(schema: JsonSchema): string {
  // z.int() bounds every integer by the safe-integer range; that is no news to a reader.
  const bound = (value: unknown) =>
    typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;
  const minimum = bound(schema.minimum);
  const maximum = bound(schema.maximum);
  if (minimum !== undefined && maximum !== undefined) return ` ${minimum}–${maximum}`;
  if (minimum !== undefined) return ` ≥ ${minimum}`;
  return maximum !== undefined ? ` ≤ ${maximum}` : '';
}

function defaultText(schema: JsonSchema): string {
  return schema.default === undefined ? '' : `default ${code(JSON.stringify(schema.default))}`;
}

function tellingKey(branch: JsonSchema): string {
  return branch.required?.find((key) => key !== 'name') ?? Object.keys(branch.properties ?? {})[0] ?? '?';
}

function code(text: string): string {
  return `\`${text}\``;
}
