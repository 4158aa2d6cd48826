// The closed set of deployment statuses and the predicates the rest of Gantry asks of them.

export const STATUSES = [
  'pending',
  'waiting',
  'running',
  'paused',
  'interrupted',
  'succeeded',
  'rolled_back',
  'failed',
  'aborted',
] as const;
export type Status = (typeof STATUSES)[number];

const TERMINAL: ReadonlySet<Status> = new Set(['succeeded', 'rolled_back', 'failed', 'aborted']);

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** A terminal deployment never changes again and holds no lock. */
export function isTerminal(status: Status): boolean {
  return TERMINAL.has(status);
}

/** The CLI's exit code for a deployment that ended in this status (DESIGN.md, "CLI"). */
export function exitCodeOf(status: Status): 0 | 1 {
  return status === 'succeeded' ? 0 : 1;
}
