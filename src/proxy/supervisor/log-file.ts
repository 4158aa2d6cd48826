// Instance log files: a header line per (re)start, and the tail an error message quotes.

import { appendFile, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeLogHeader(logPath: string, line: string): Promise<void> {
  await mkdir(dirname(logPath), { recursive: true });
  await appendFile(logPath, `--- gantry-proxy ${new Date().toISOString()}: ${line}\n`);
}

/** The last `lines` lines of a log (reading at most the last 16 KiB); empty when it cannot be read. */
export async function tailOf(logPath: string, lines = 20): Promise<string> {
  try {
    const handle = await open(logPath, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 16_384);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '')
        .slice(-lines)
        .join('\n');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}
