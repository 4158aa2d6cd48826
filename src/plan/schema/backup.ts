// Backups taken before the main steps (or as a `backup` step), restorable on rollback, and where they are kept.

import { z } from 'zod';
import { duration, name, template } from './common.js';

export const postgresBackup = z.strictObject({
  url: template.meta({
    description: 'Connection URL; usually ${secrets.NAME}. Its password is never printed.',
  }),
  verify: z
    .union([z.boolean(), z.literal('restore')])
    .default(true)
    .meta({
      description:
        'true: pg_restore --list reads the archive back; "restore": restore it into a scratch database on the same server (the role needs CREATEDB) and compare the row count of every table with the dumped snapshot; false: no check (a restore then refuses it unless allowUnverified).',
    }),
});

export const filesBackup = z.strictObject({
  paths: z
    .array(z.string().min(1))
    .min(1)
    .meta({ description: "Files and folders to archive (tar.gz), relative to the plan file's folder." }),
  verify: z
    .boolean()
    .default(true)
    .meta({ description: 'List the archive back (tar --list) after writing it.' }),
});

const backupName = name.meta({
  description: 'Names the backup for `restore` steps; unique within the plan.',
});
const retention = duration.optional().meta({
  description:
    'Backups of this name beyond the `keep` newest are kept until they are this old; `backups.retention` when absent.',
});
const keep = z.int().min(1).max(1000).optional().meta({
  description:
    'How many backups of this name (per service and environment) are always kept; `backups.keep` when absent.',
});
const timeout = duration
  .prefault('1h')
  .meta({ description: 'The backup, with its verification, fails after this.' });

export const backup = z
  .union([
    z.strictObject({ name: backupName, postgres: postgresBackup, retention, keep, timeout }),
    z.strictObject({ name: backupName, files: filesBackup, retention, keep, timeout }),
  ])
  .meta({ title: 'backup' });

export const backupSettings = z.strictObject({
  dir: z.string().min(1).optional().meta({
    description:
      "Where backup files are written, relative to the plan file's folder; default `backups/` in the state directory (GANTRY_HOME). Instances on several machines need a directory they all mount.",
  }),
  keep: z.int().min(1).max(1000).default(5).meta({
    description: 'How many backups of each name (per service and environment) are always kept.',
  }),
  retention: duration.optional().meta({
    description:
      'Older backups beyond `keep` are kept until they are this old; without it they are deleted once `keep` newer ones exist. Backups of deployments in progress are never deleted.',
  }),
});

export type Backup = z.output<typeof backup>;
export type PostgresBackup = Extract<Backup, { postgres: unknown }>;
export type FilesBackup = Extract<Backup, { files: unknown }>;
export type BackupSettings = z.output<typeof backupSettings>;
