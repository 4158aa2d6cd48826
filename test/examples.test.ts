import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../src/plan/diagnostics.js';
import { loadPlanFile } from '../src/plan/load.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

describe('example plans', () => {
  const files = yamlFiles(EXAMPLES);

  it('include the DESIGN.md plan and the hello runbook', () => {
    const names = files.map((file) => relative(EXAMPLES, file));
    expect(names).toContain('design-example.yaml');
    expect(names).toContain('hello-runbook.yaml');
  });

  it.each(files.map((file) => [relative(EXAMPLES, file), file]))(
    '%s is a valid plan',
    async (_name, file) => {
      const loaded = await loadPlanFile(file);
      if (!loaded.ok) {
        expect.fail(`${file} is invalid:\n${formatDiagnostics(loaded.diagnostics, loaded.source)}`);
      }
    },
  );
});
