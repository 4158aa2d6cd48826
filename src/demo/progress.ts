// Live progress of the demo on the terminal: the journal events that tell the story (steps, traffic splits,
// decisions, rollbacks), and a line with what users see right now, redrawn in place on a terminal.

import { describeEvent } from '../deployment/describe.js';
import { EVENT } from '../deployment/events.js';
import type { JournalEvent } from '../journal/journal.js';
import type { Traffic } from './traffic.js';

const SHOWN: Record<string, (event: JournalEvent) => string | undefined> = {
  [EVENT.stepStarted]: (e) => (e.data.track === 'rollback' ? `  ↩ ${e.data.name}` : `  ▸ ${e.data.name}`),
  [EVENT.stepSkipped]: (e) => `    ↷ ${e.data.stepId} skipped (promoted by ${e.actor})`,
  [EVENT.stepFailed]: (e) => `    ✗ ${describeEvent(e)}`,
  [EVENT.weightSet]: (e) => `    ⇄ ${splitOf(e.data.sharesPct as Record<string, number>)}`,
  [EVENT.decision]: (e) => `    ⚖ ${describeEvent(e)}`,
  [EVENT.rollbackStarted]: (e) => `  ⟲ rolling back: ${e.data.reason}`,
  [EVENT.versionStopped]: (e) => (e.data.wasRunning === false ? undefined : `    ■ ${describeEvent(e)}`),
};

export class Progress {
  private statusShown = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly traffic: () => Traffic | undefined,
  ) {}

  get live(): boolean {
    return this.out.isTTY === true;
  }

  /** Prints a line above the live traffic line. */
  line(text: string): void {
    this.clearStatus();
    this.out.write(`${text}\n`);
    this.drawStatus();
  }

  event(event: JournalEvent): void {
    const text = SHOWN[event.type]?.(event);
    if (text) this.line(text);
  }

  /** Redraws the traffic line every 250 ms on a terminal; elsewhere prints it every 5 s. */
  start(): void {
    this.timer = setInterval(
      () => (this.live ? this.drawStatus() : this.printStatus()),
      this.live ? 250 : 5_000,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clearStatus();
  }

  private printStatus(): void {
    const text = this.statusText();
    if (text) this.out.write(`${text}\n`);
  }

  private drawStatus(): void {
    if (!this.live) return;
    const text = this.statusText();
    if (!text) return;
    this.out.write(`\r\x1b[2K${text}`);
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (!this.statusShown) return;
    this.out.write('\r\x1b[2K');
    this.statusShown = false;
  }

  private statusText(): string | undefined {
    const traffic = this.traffic();
    if (!traffic) return undefined;
    const second = traffic.lastSecond();
    const split = Object.entries(second.byVersion)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([version, n]) => `${version} ${bar(n / Math.max(1, second.requests))}`)
      .join('  ');
    return `    users: ${String(second.requests).padStart(3)} req/s  ${split}  failed ${second.failed}/s`;
  }
}

function splitOf(sharesPct: Record<string, number> | undefined): string {
  const entries = Object.entries(sharesPct ?? {});
  return `traffic: ${entries.map(([version, pct]) => `${version} ${pct}%`).join(' · ')}`;
}

function bar(share: number): string {
  const width = 10;
  const full = Math.round(share * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${String(Math.round(share * 100)).padStart(3)}%`;
}
