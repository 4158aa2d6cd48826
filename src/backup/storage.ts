// Where backup files live: <root>/<service>/<environment>/<deployment id>/<name>.<ext>. A file is written under
// a `.partial` name and renamed once complete and checked, so a file under its final name is always whole.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Written } from './tool-process.js';

export interface BackupFileNames {
  /** Where the finished backup is kept. */
  final: string;
  /** Where this attempt writes it first. */
  partial: string;
}

export interface BackupFileOwner {
  service: string;
  environment: string;
  deploymentId: string;
  name: string;
  kind: 'postgres' | 'files';
}

/** The folder backups go under: the plan's `backups.dir` (relative to the plan's folder), else <home>/backups. */
export function backupRoot(configuredDir: string | undefined, planDir: string, home: string): string {
  return configuredDir ? resolve(planDir, configuredDir) : join(home, 'backups');
}

export function backupFileNames(root: string, owner: BackupFileOwner, attempt: number): BackupFileNames {
  const dir = join(root, owner.service, owner.environment, owner.deploymentId);
  const file = `${owner.name}.${owner.kind === 'postgres' ? 'dump' : 'tar.gz'}`;
  return { final: join(dir, file), partial: join(dir, `${file}.${attempt}.partial`) };
}

/** Creates the folder and clears a partial file a killed earlier attempt may have left. */
export async function prepare(names: BackupFileNames): Promise<void> {
  await mkdir(join(names.partial, '..'), { recursive: true });
  await rm(names.partial, { force: true });
}

export async function keep(names: BackupFileNames): Promise<void> {
  await rename(names.partial, names.final);
}

export async function discard(names: BackupFileNames): Promise<void> {
  await rm(names.partial, { force: true });
}

/** The SHA-256 and size of a file, or undefined when it does not exist. */
export async function fileDigest(path: string): Promise<Written | undefined> {
  try {
    await stat(path);
  } catch {
    return undefined;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}
