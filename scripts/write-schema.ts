// `npm run schema`: writes schema/plan.schema.json and docs/plan-reference.md from the zod schema in
// src/plan/schema/. A test (src/plan/schema-files.test.ts) fails when the committed files are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { schemaFiles } from '../src/plan/schema-files.js';

for (const { path, text } of schemaFiles()) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
