// The files generated from the plan schema, committed to the repository and kept in sync by a test.

import { planJsonSchemaText } from './json-schema.js';
import { planReferenceMarkdown } from './reference-doc.js';

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  text: string;
}

export function schemaFiles(): GeneratedFile[] {
  return [
    { path: 'schema/plan.schema.json', text: planJsonSchemaText() },
    { path: 'docs/plan-reference.md', text: planReferenceMarkdown() },
  ];
}
