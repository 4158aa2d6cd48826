// The people of a runbook, through the CLI as they would act: a release engineer starts `gantry deploy
// --wait` (outside the window when the test says so, with a reason, as an operator overriding it would),
// and others check checklist items, approve by role, promote or abort when the deployment waits for them.

import { EVENT } from '../../src/deployment/events.js';
import { foldEvents } from '../../src/deployment/state.js';
import type { Journal } from '../../src/journal/journal.js';
import { openJournal } from '../../src/journal/open.js';
import { type CliOptions, type CliResult, gantry, gantryJson } from './cli.js';

export interface Status {
  id: string;
  status: string;
  reason: string;
  version: string;
  steps: Array<{ id: string; name: string; kind: string; status: string }>;
  approvals: Array<{ by: string; role: string }>;
  checks: Array<{ by: string; item?: string }>;
}

const TERMINAL = ['succeeded', 'rolled_back', 'failed', 'aborted'];

export interface Deploying {
  id: string;
  /** Resolves when `gantry deploy --wait` exits. */
  done: Promise<CliResult>;
}

/** Starts `gantry deploy PLAN --version V --wait` and finds the deployment it created. */
export async function startDeploy(
  cli: CliOptions,
  plan: string,
  version: string,
  options: { as?: string; overrideWindow?: boolean } = {},
): Promise<Deploying> {
  const before = new Set((await history(cli)).map((d) => d.id));
  const args = ['deploy', plan, '--version', version, '--wait', '--as', options.as ?? 'release-engineer'];
  if (options.overrideWindow) args.push('--override-window', '--reason', 'end-to-end test of the runbook');
  const done = gantry(args, cli);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = (await history(cli)).find((d) => !before.has(d.id) && d.version === version);
    if (found) return { id: found.id, done };
    if (Date.now() > deadline) {
      const result = await Promise.race([done, sleep(1_000).then(() => undefined)]);
      throw new Error(`no deployment of ${version} appeared\n${result?.stdout ?? ''}${result?.stderr ?? ''}`);
    }
    await sleep(100);
  }
}

async function history(cli: CliOptions): Promise<Array<{ id: string; version: string }>> {
  return (await gantryJson(['history'], cli)).json;
}

export async function status(cli: CliOptions, id: string): Promise<Status> {
  return (await gantryJson(['status', id], cli)).json;
}

/** Waits until the deployment's reason matches (it waits for a person); fails if it ends first. */
export async function waitingFor(
  cli: CliOptions,
  id: string,
  pattern: RegExp,
  timeoutMs = 90_000,
): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await status(cli, id);
    if (pattern.test(now.reason ?? '')) return now;
    if (TERMINAL.includes(now.status))
      throw new Error(`${id} ended as ${now.status} (${now.reason}) before waiting for ${pattern}`);
    if (Date.now() > deadline) throw new Error(`${id} never waited for ${pattern}; now: ${now.reason}`);
    await sleep(150);
  }
}

/** Each item checked by the person named beside it (item text, or its number). */
export async function checkItems(cli: CliOptions, id: string, items: Array<[string, string]>): Promise<void> {
  // A team checks its items side by side: four people at a time.
  for (let i = 0; i < items.length; i += 4) {
    await Promise.all(
      items.slice(i, i + 4).map(async ([item, by]) => {
        const result = await gantry(['check', id, item, '--as', by], cli);
        if (result.code !== 0) throw new Error(`gantry check ${id} "${item}" --as ${by}: ${result.stderr}`);
      }),
    );
  }
}

export async function approve(cli: CliOptions, id: string, by: string, role?: string): Promise<void> {
  const args = ['approve', id, '--as', by, '--comment', `approved in the ${role ?? 'role'} sign-off`];
  if (role) args.push('--role', role);
  const result = await gantry(args, cli);
  if (result.code !== 0) throw new Error(`gantry approve ${id} --as ${by}: ${result.stderr}`);
}

/** `gantry user add NAME --role R…` for each person. */
export async function addPeople(cli: CliOptions, people: Record<string, string[]>): Promise<void> {
  for (const [name, roles] of Object.entries(people)) {
    const result = await gantry(['user', 'add', name, ...roles.flatMap((r) => ['--role', r])], cli);
    if (result.code !== 0) throw new Error(`gantry user add ${name}: ${result.stderr}`);
  }
}

/** An event as `gantry logs -o json` prints it; its data is JSON of the event's type. */
// biome-ignore lint/suspicious/noExplicitAny: tests read fields of many event types
export type LoggedEvent = { type: string; data: Record<string, any>; actor?: string };

/** The journal's events of a deployment, as `gantry logs -o json` prints them. */
export async function events(cli: CliOptions, id: string): Promise<LoggedEvent[]> {
  return (await gantryJson(['logs', id], cli)).json;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Until `deploy --wait` ends, the people answer what the deployment waits for: a checklist is checked by
 * the people named for that checklist step (by step name; "checklist" is the plan's gate), an approval is
 * given by each person listed whose role is still needed. They act through the CLI; the test watches the
 * journal directly (cheaper than polling `gantry status` in a loop on a shared machine).
 */
export async function answerPeople(
  cli: CliOptions,
  deploying: Deploying,
  people: { checklists?: Record<string, Array<[string, string]>>; approvers?: Array<[string, string]> },
): Promise<{ result: CliResult; final: Status }> {
  let ended = false;
  const done = deploying.done.finally(() => {
    ended = true;
  });
  const journal = await openJournal({ home: cli.home });
  const answered = new Set<string>();
  try {
    while (!ended) {
      const waiting = await waitingStep(journal, deploying.id);
      if (waiting && !answered.has(waiting.stepId)) {
        answered.add(waiting.stepId);
        await answer(cli, deploying.id, waiting, people);
      }
      await Promise.race([done, sleep(250)]);
    }
  } finally {
    await journal.close();
  }
  return { result: await done, final: await status(cli, deploying.id) };
}

interface WaitingStep {
  stepId: string;
  kind: string;
  name: string;
  reason: string;
}

/** The step the deployment waits on for a person, from its journal; undefined when it waits for none. */
async function waitingStep(journal: Journal, id: string): Promise<WaitingStep | undefined> {
  const events = await journal.readEvents(id);
  const state = foldEvents(events);
  if (state.status !== 'waiting' || !state.current) return undefined;
  const started = events.findLast(
    (e) => e.type === EVENT.stepStarted && e.data.stepId === state.current?.stepId,
  );
  return {
    stepId: state.current.stepId,
    kind: String(started?.data.kind ?? ''),
    name: String(started?.data.name ?? ''),
    reason: state.statusReason,
  };
}

async function answer(
  cli: CliOptions,
  id: string,
  step: WaitingStep,
  people: { checklists?: Record<string, Array<[string, string]>>; approvers?: Array<[string, string]> },
): Promise<void> {
  if (step.kind === 'checklist') {
    const items = people.checklists?.[step.name];
    if (!items) throw new Error(`no people for the checklist "${step.name}" (${step.stepId})`);
    await checkItems(cli, id, items);
  } else if (step.kind === 'approval') {
    const needed = (people.approvers ?? []).filter(([, role]) => step.reason.includes(role));
    await Promise.all(needed.map(([by, role]) => approve(cli, id, by, role)));
  }
}

/** answerPeople with checklists only. */
export function answerChecklists(
  cli: CliOptions,
  deploying: Deploying,
  checklists: Record<string, Array<[string, string]>>,
) {
  return answerPeople(cli, deploying, { checklists });
}
