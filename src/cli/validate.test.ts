import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerValidate } from './validate.js';

const dir = mkdtempSync(join(tmpdir(), 'gantry-validate-'));

function planFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `gantry validate …` with only this verb registered; returns the exit code and what was printed. */
async function validate(...args: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const program = new Command('gantry').exitOverride();
  registerValidate(program);
  await program.parseAsync(['validate', ...args], { from: 'user' });
  const command = program.commands[0] as Command & { exitCode?: number };
  return { exitCode: command.exitCode ?? 0, stdout, stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('gantry validate', () => {
  it('prints a one-line summary and exits 0 for a valid plan', async () => {
    const file = planFile(
      'ok.yaml',
      'service: shop-api\nenvironment: production\nsteps: [{ run: "true" }, { wait: 1s }]\n',
    );
    const result = await validate(file);
    expect(result).toEqual({
      exitCode: 0,
      stdout: `${file}: valid (service shop-api, production, 2 steps)\n`,
      stderr: '',
    });
  });

  it('prints every problem with a caret to stderr and exits 2 for an invalid plan', async () => {
    const file = planFile('bad.yaml', 'servce: shop-api\nsteps: [{ wait: 5 minutes }]\n');
    const result = await validate(file);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}:1:1: unknown top-level key 'servce' (did you mean 'service'?)`);
    expect(result.stderr).toContain('   1 | servce: shop-api\n     | ^~~~~~');
    expect(result.stderr).toContain(`${file}:2:17: expected a duration`);
    expect(result.stderr).not.toContain("needs 'service'");
    expect(result.stderr).toContain(`${file}: 2 problems; fix them and run gantry validate again`);
  });

  it('prints diagnostics as JSON with -o json', async () => {
    const file = planFile('json.yaml', 'service: s\nsteps: [{ wait: 5 minutes }]\n');
    const result = await validate('-o', 'json', file);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      diagnostics: [
        {
          file,
          line: 2,
          column: 17,
          endLine: 2,
          endColumn: 26,
          message: 'expected a duration such as 500ms, 30s, 5m or 1h30m, got "5 minutes"',
          path: ['steps', 0, 'wait'],
        },
      ],
    });
  });

  it('fails with GANTRY_PLAN_NOT_FOUND for a missing file', async () => {
    await expect(validate(join(dir, 'missing.yaml'))).rejects.toMatchObject({
      code: 'GANTRY_PLAN_NOT_FOUND',
    });
  });
});
