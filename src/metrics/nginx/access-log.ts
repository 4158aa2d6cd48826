// Reads the JSON access log the nginx target's configuration writes (one object per request: time,
// status, requestTime, upstream, version) from where it stopped last time. A rotated or truncated file
// is read again from its start; a huge one from its last 64 MiB, the data analysis windows can reach.

import { open, stat } from 'node:fs/promises';

export interface LoggedRequest {
  tMs: number;
  status: number;
  latencyMs: number;
  /** Empty when nginx answered itself (maintenance page, no version routed). */
  version: string;
}

const MAX_CATCH_UP_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export class AccessLogReader {
  private offset = -1;
  private inode = -1;
  private partial = '';

  constructor(private readonly path: string) {}

  /** The requests logged since the last call; none when the file does not exist yet. */
  async readNew(): Promise<LoggedRequest[]> {
    const info = await stat(this.path).catch(() => undefined);
    if (!info) return [];
    if (info.ino !== this.inode || info.size < this.offset) {
      this.inode = info.ino;
      this.offset = Math.max(0, info.size - MAX_CATCH_UP_BYTES);
      this.partial = this.offset > 0 ? '\u0000' : '';
    }
    const requests: LoggedRequest[] = [];
    const file = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      while (this.offset < info.size) {
        const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        const lines = (this.partial + buffer.toString('utf8', 0, bytesRead)).split('\n');
        this.partial = lines.pop() ?? '';
        for (const line of lines) {
          // A catch-up that started mid-file begins with the end of a line: skip it.
          if (line.startsWith('\u0000')) continue;
          const request = parseLine(line);
          if (request) requests.push(request);
        }
      }
    } finally {
      await file.close();
    }
    return requests;
  }
}

/** One log line, or undefined for a line that is not one of ours. */
export function parseLine(line: string): LoggedRequest | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const time = Number(entry.time);
    const status = Number(entry.status);
    const seconds = Number(entry.requestTime);
    if (!Number.isFinite(time) || !Number.isInteger(status) || !Number.isFinite(seconds)) return undefined;
    const upstream = typeof entry.upstream === 'string' ? entry.upstream : '';
    const version = upstream === '' ? '' : typeof entry.version === 'string' ? entry.version : '';
    return { tMs: Math.round(time * 1000), status, latencyMs: seconds * 1000, version };
  } catch {
    return undefined;
  }
}
