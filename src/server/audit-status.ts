// The audit-chain status: `gantry audit verify` run on the server, again only when the chain has grown
// and at most every `minIntervalMs`, so a busy dashboard does not re-hash the journal on every view.

import { type AuditReport, verifyChain } from '../journal/audit.js';
import type { Journal } from '../journal/journal.js';

export type AuditStatus = AuditReport & { checkedAt: string };

export class AuditStatusCache {
  private last: { status: AuditStatus; headSeq: number; at: number } | undefined;
  private running: Promise<AuditStatus> | undefined;

  constructor(
    private readonly journal: Journal,
    private readonly minIntervalMs = 10_000,
  ) {}

  async current(): Promise<AuditStatus> {
    const head = await this.journal.chainHead();
    const last = this.last;
    if (last && (last.headSeq === head.seq || Date.now() - last.at < this.minIntervalMs)) return last.status;
    this.running ??= this.verify(head.seq).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async verify(headSeq: number): Promise<AuditStatus> {
    const status = { ...(await verifyChain(this.journal)), checkedAt: new Date().toISOString() };
    this.last = { status, headSeq, at: Date.now() };
    return status;
  }
}
