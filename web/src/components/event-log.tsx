// The deployment's journal in plain words (the CLI's sentences), searchable, virtualized so a
// history of tens of thousands of events scrolls as smoothly as ten.

import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { describeEvent } from '../../../src/deployment/describe.js';
import type { JournalEvent } from '../api.js';

/** One event as a log line; the sentence is written when the line is first shown or searched. */
function lineOf(event: JournalEvent, cache: Map<number, string>): string {
  let text = cache.get(event.index);
  if (text === undefined) {
    text = `${event.at.slice(11, 19)} ${describeEvent(event)}`;
    cache.set(event.index, text);
  }
  return text;
}

export function EventLog({ events }: { events: readonly JournalEvent[] }) {
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query.trim().toLowerCase());
  const cache = useMemo(() => new Map<number, string>(), []);
  const shown = useMemo(
    () =>
      deferred
        ? events.filter((event) =>
            `${event.type} ${event.actor ?? ''} ${lineOf(event, cache)}`.toLowerCase().includes(deferred),
          )
        : events,
    [events, deferred, cache],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 22,
    overscan: 20,
  });
  return (
    <section className="panel" aria-label="event log">
      <header className="panel-head">
        <h2>Event log</h2>
        <input
          type="search"
          placeholder="Search events…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="event-search"
          aria-label="search events"
        />
        <span className="muted" data-testid="event-count">
          {shown.length === events.length
            ? `${events.length} events`
            : `${shown.length} of ${events.length} events`}
        </span>
      </header>
      <div className="log" ref={scroller} data-testid="event-log">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const event = shown[item.index] as JournalEvent;
            const line = lineOf(event, cache);
            return (
              <div
                key={event.index}
                className={`log-line log-${event.type.replace(/\W/g, '-')}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <span className="log-time">{line.slice(0, 8)}</span>{' '}
                <span className="log-text">{line.slice(9)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
