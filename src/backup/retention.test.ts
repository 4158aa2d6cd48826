import { describe, expect, it } from 'vitest';
import { expiredBackups } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-30T12:00:00Z');
const backup = (id: string, daysAgo: number, active = false) => ({
  backupId: id,
  takenAt: new Date(NOW - daysAgo * DAY).toISOString(),
  active,
});

describe('retention', () => {
  it('keeps the newest `keep` and deletes the older ones when no age is set', () => {
    const backups = [backup('d1.db', 5), backup('d2.db', 1), backup('d3.db', 3), backup('d4.db', 10)];
    expect(expiredBackups(backups, { keep: 2 }, NOW).map((b) => b.backupId)).toEqual(['d1.db', 'd4.db']);
  });

  it('keeps older backups beyond `keep` until they pass the retention age', () => {
    const backups = [backup('d1.db', 1), backup('d2.db', 2), backup('d3.db', 8), backup('d4.db', 20)];
    expect(expiredBackups(backups, { keep: 1, retentionMs: 7 * DAY }, NOW).map((b) => b.backupId)).toEqual([
      'd3.db',
      'd4.db',
    ]);
  });

  it('never deletes a backup of a deployment still in progress', () => {
    const backups = [backup('d1.db', 1), backup('d2.db', 30, true), backup('d3.db', 40)];
    expect(expiredBackups(backups, { keep: 1 }, NOW).map((b) => b.backupId)).toEqual(['d3.db']);
  });
});
