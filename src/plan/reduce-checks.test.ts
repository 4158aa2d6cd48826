import { describe, expect, it } from 'vitest';
import { parsePlan } from './load.js';

const head = [
  'service: s',
  'target: { local: { run: node server.js, listen: 127.0.0.1:8080 } }',
  'strategy:',
  '  canary:',
  '    steps:',
  '      - setWeight: 25',
];

function problems(lines: string[]): string[] {
  const result = parsePlan(lines.join('\n'), 'plan.yaml');
  if (result.ok) return [];
  return result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
}

describe('the reduce tier', () => {
  it('is accepted on an analysis step that says how far to reduce', () => {
    const source = [
      ...head,
      '      - analysis:',
      '          duration: 3d',
      '          reduceTo: 5',
      '          rules: ["error_rate > 0.1% for 1h: reduce", "error_rate > 1% for 5m: rollback"]',
    ];
    expect(problems(source)).toEqual([]);
    const result = parsePlan(source.join('\n'), 'plan.yaml');
    const strategy = result.ok ? result.plan.strategy : undefined;
    const step = strategy && 'canary' in strategy ? strategy.canary.steps[1] : undefined;
    expect(step && 'analysis' in step && step.analysis.reduceTo).toBe(5);
    expect(step && 'analysis' in step && step.analysis.rules?.[0]?.tier).toBe('reduce');
  });

  it('is refused on an analysis step without reduceTo, pointing at the step', () => {
    const found = problems([
      ...head,
      '      - analysis: { duration: 1h, rules: ["error_rate > 0.1% for 5m: reduce"] }',
    ]);
    expect(found).toEqual([
      expect.stringMatching(/^7:\d+ a reduce rule applies to this analysis step: add `reduceTo/),
    ]);
  });

  it('is refused through plan-level rules when an analysis step without its own rules has no reduceTo', () => {
    const found = problems([
      ...head,
      '      - analysis: { duration: 1h, reduceTo: 5 }',
      '      - setWeight: 50',
      '      - analysis: { duration: 1h }',
      'analysis: { rules: ["error_rate > 0.1% for 5m: reduce"] }',
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^9:\d+ a reduce rule applies/);
  });

  it('is refused in automatic rollback rules, which also run outside analysis steps', () => {
    const found = problems([...head, 'rollback: { automatic: ["error_rate > 1% for 5m: reduce"] }']);
    expect(found).toEqual([expect.stringMatching(/^7:\d+ reduce lowers traffic during an analysis step/)]);
  });
});
