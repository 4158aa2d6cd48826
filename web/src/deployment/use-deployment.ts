// A deployment as the page shows it: its detail and every event, folded with the engine's own fold,
// kept current by the server's event stream. Live events are applied once per animation frame.

import { useEffect, useRef, useState } from 'react';
import { applyEvent, type DeploymentState, initialState } from '../../../src/deployment/state.js';
import { api, type DeploymentDetail, type JournalEvent } from '../api.js';

export interface LiveDeployment {
  detail: DeploymentDetail | undefined;
  events: JournalEvent[];
  state: DeploymentState;
  error: string | undefined;
  /** Whether the live stream is connected. */
  live: boolean;
  refresh(): void;
}

/** Events after which the detail (plan, engine) may have changed. */
const DETAIL_EVENTS = new Set(['plan.replaced', 'status.changed', 'driver.attached']);

export function useDeployment(id: string): LiveDeployment {
  const [detail, setDetail] = useState<DeploymentDetail>();
  const [events, setEvents] = useState<JournalEvent[]>([]);
  const [state, setState] = useState<DeploymentState>(() => initialState(id));
  const [error, setError] = useState<string>();
  const [live, setLive] = useState(false);
  const [detailVersion, setDetailVersion] = useState(0);
  const eventsRef = useRef<JournalEvent[]>([]);
  const stateRef = useRef<DeploymentState>(initialState(id));

  // biome-ignore lint/correctness/useExhaustiveDependencies: detailVersion is what asks for a fresh detail
  useEffect(() => {
    api<DeploymentDetail>('GET', `/api/deployments/${encodeURIComponent(id)}`)
      .then(setDetail)
      .catch((thrown: Error) => setError(thrown.message));
  }, [id, detailVersion]);

  useEffect(() => {
    let closed = false;
    let source: EventSource | undefined;
    let pending: JournalEvent[] = [];
    let frame = 0;
    const apply = (fresh: JournalEvent[]) => {
      const next = fresh.filter((event) => event.index >= eventsRef.current.length);
      if (next.length === 0) return;
      let folded = stateRef.current;
      for (const event of next) folded = applyEvent(folded, event);
      stateRef.current = folded;
      eventsRef.current = eventsRef.current.concat(next);
      setEvents(eventsRef.current);
      setState(folded);
      if (next.some((event) => DETAIL_EVENTS.has(event.type))) setDetailVersion((v) => v + 1);
    };
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      apply(batch);
    };
    eventsRef.current = [];
    stateRef.current = initialState(id);
    api<JournalEvent[]>('GET', `/api/deployments/${encodeURIComponent(id)}/events?compact=1`)
      .then((history) => {
        if (closed) return;
        apply(history);
        source = new EventSource(
          `/api/deployments/${encodeURIComponent(id)}/stream?from=${eventsRef.current.length}`,
        );
        source.addEventListener('ready', () => setLive(true));
        source.addEventListener('error', () => setLive(false));
        source.addEventListener('journal', (message) => {
          pending.push(JSON.parse((message as MessageEvent<string>).data) as JournalEvent);
          if (!frame) frame = requestAnimationFrame(flush);
        });
      })
      .catch((thrown: Error) => setError(thrown.message));
    return () => {
      closed = true;
      source?.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [id]);

  return { detail, events, state, error, live, refresh: () => setDetailVersion((v) => v + 1) };
}
