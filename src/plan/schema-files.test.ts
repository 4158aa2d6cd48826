import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planJsonSchema } from './json-schema.js';
import { schemaFiles } from './schema-files.js';

const ROOT = join(import.meta.dirname, '..', '..');

function committed(path: string): string {
  try {
    return readFileSync(join(ROOT, path), 'utf8');
  } catch {
    return '';
  }
}

describe('files generated from the plan schema', () => {
  it.each(schemaFiles().map((file) => [file.path, file.text]))('%s matches the schema', (path, text) => {
    expect(
      committed(path),
      `${path} is out of date with src/plan/schema/: run \`npm run schema\` and commit it`,
    ).toBe(text);
  });

  it('describes every top-level key of a plan', () => {
    const properties = planJsonSchema().properties ?? {};
    const undocumented = Object.entries(properties).filter(([, schema]) => !schema.description);
    expect(undocumented.map(([key]) => key)).toEqual([]);
  });

  it('shows defaults as a person writes them, durations as text', () => {
    const health = planJsonSchema().properties?.target?.anyOf?.[0]?.properties?.local?.properties?.health;
    expect(health?.properties?.timeout?.default).toBe('2s');
    expect(health?.properties?.timeout?.pattern).toBeDefined();
  });
});
