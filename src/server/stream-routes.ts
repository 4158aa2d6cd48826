// Live event streams (server-sent events): one deployment's events from a given index, then as they land;
// or every new event of every deployment. Event ids let a reconnecting browser resume where it stopped.

import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { loadDeployment } from '../engine/inspect.js';
import type { JournalEvent } from '../journal/journal.js';
import type { ServerDeps, ServerEnv } from './context.js';
import { param, type RouteSpec } from './route.js';

export const STREAM_ROUTES: RouteSpec[] = [
  {
    method: 'GET',
    path: '/api/deployments/:id/stream',
    action: 'read',
    async handle(c, deps) {
      const id = param(c, 'id');
      await loadDeployment(deps.journal, id); // a 404 before the stream opens
      const resumeAfter = Number(c.req.header('last-event-id'));
      const from = Number.isInteger(resumeAfter)
        ? resumeAfter + 1
        : Math.max(0, Number(c.req.query('from') ?? 0) || 0);
      return openStream(c, deps, async (send) => {
        let next = from;
        const deliver = (events: JournalEvent[]) => {
          const fresh = events.filter((event) => event.index >= next);
          if (fresh.length === 0) return;
          next = (fresh.at(-1) as JournalEvent).index + 1;
          send(fresh, (event) => String(event.index));
        };
        // Subscribe first and buffer, so nothing written while the history is read is lost or repeated.
        const buffered: JournalEvent[][] = [];
        let live = false;
        const unsubscribe = deps.hub.subscribe(
          (events) => (live ? deliver(events) : buffered.push(events)),
          id,
        );
        deliver(await deps.journal.readEvents(id, from));
        for (const events of buffered) deliver(events);
        live = true;
        return unsubscribe;
      });
    },
  },
  {
    method: 'GET',
    path: '/api/stream',
    action: 'read',
    handle(c, deps) {
      return openStream(c, deps, async (send) =>
        deps.hub.subscribe((events) => send(events, (event) => String(event.seq))),
      );
    },
  },
];

type Send = (events: JournalEvent[], idOf: (event: JournalEvent) => string) => void;

function openStream(
  c: Context<ServerEnv>,
  deps: ServerDeps,
  start: (send: Send) => Promise<() => void>,
): Response {
  return streamSSE(c, async (stream) => {
    let chain = Promise.resolve();
    const write = (task: (s: SSEStreamingApi) => Promise<unknown>) => {
      chain = chain
        .then(() => (stream.aborted ? undefined : task(stream)))
        .then(
          () => undefined,
          () => stream.abort(),
        );
    };
    const send: Send = (events, idOf) => {
      for (const event of events)
        write((s) => s.writeSSE({ event: 'journal', id: idOf(event), data: JSON.stringify(event) }));
    };
    const stop = await start(send);
    write((s) => s.writeSSE({ event: 'ready', data: '{}' }));
    const heartbeat = setInterval(
      () => write((s) => s.write(': keep-alive\n\n')),
      deps.heartbeatMs ?? 15_000,
    );
    await new Promise<void>((resolve) => stream.onAbort(resolve));
    clearInterval(heartbeat);
    stop();
  });
}
