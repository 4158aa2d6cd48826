// The plan's JSON Schema, generated from the zod schema so editors (yaml-language-server) complete and
// check plans with the same descriptions and defaults `gantry validate` uses.

import { z } from 'zod';
import { planSchema } from './schema/plan.js';

export type JsonSchema = {
  [key: string]: unknown;
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
};

let cached: JsonSchema | undefined;

const NON_STANDARD_FORMATS = new Set(['starts_with', 'ends_with', 'includes']);

/** The JSON Schema of what a person writes (defaults optional, durations as text). Treat it as read-only. */
export function planJsonSchema(): JsonSchema {
  cached ??= generate();
  return cached;
}

/** Inline: every use of a shared part is written out, which keeps walking it (did-you-mean, docs) simple. */
function generate(reused: 'inline' | 'ref' = 'inline'): JsonSchema {
  return z.toJSONSchema(planSchema, {
    io: 'input',
    // draft-07 is what yaml-language-server and most editors understand fully.
    target: 'draft-07',
    // Refinements and transforms have no JSON Schema form; their input shape is what editors need.
    unrepresentable: 'any',
    reused,
    // zod writes `startsWith('/')` as a `pattern` and also as a `format` no JSON Schema draft defines,
    // which strict validators reject; the pattern says it all.
    override: ({ jsonSchema }) => {
      if (typeof jsonSchema.format === 'string' && NON_STANDARD_FORMATS.has(jsonSchema.format))
        delete jsonSchema.format;
    },
  }) as JsonSchema;
}

/**
 * The text of `schema/plan.schema.json`, stable so the committed file can be compared exactly. Shared
 * parts (the step union appears in many sections) are definitions referenced by `$ref`, so the file stays
 * small enough for editors to load quickly.
 */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(generate('ref'), null, 2)}\n`;
}
