// `gantry audit verify`: recompute the journal's hash chain and name any edited, removed or reordered event.

import type { Command } from 'commander';
import type { AuditReport } from '../journal/audit.js';
import { withOperations } from './context.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { setExitCode } from './program.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('Check the tamper-evident journal');
  const verify = audit
    .command('verify')
    .description('Verify the hash chain of every event; exit 0 intact, 1 when tampering is found');
  outputOption(verify).action(async (options: { output: string }, cmd: Command) => {
    const format = formatOf(options);
    await withOperations(async (operations) => {
      const report = await operations.verifyAudit();
      if (format === 'json') printJson(report);
      else printLine(formatReport(report));
      setExitCode(cmd, report.ok ? 0 : 1);
    });
  });
}

function formatReport(report: AuditReport): string {
  const summary = `${report.eventsChecked} events checked`;
  if (report.ok) return `journal intact: ${summary}`;
  return [
    `journal TAMPERED: ${report.problems.length} problem(s); ${summary}`,
    ...report.problems.map((p) => `  - ${p.message}`),
  ].join('\n');
}
