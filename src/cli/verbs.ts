// Every verb of the CLI, in the order `gantry --help` lists them.

import type { Command } from 'commander';
import { registerAck } from './ack.js';
import { registerApprove } from './approve.js';
import { registerAudit } from './audit.js';
import { registerBackups } from './backups.js';
import { registerCheck } from './check.js';
import { registerDemo } from './demo.js';
import { registerDeploy } from './deploy.js';
import { registerHistory } from './history.js';
import { registerLogs } from './logs.js';
import { registerOperatorVerbs } from './operator-verbs.js';
import { registerPlan } from './plan.js';
import { registerProxy } from './proxy.js';
import { registerReplay } from './replay.js';
import { registerRestore } from './restore.js';
import { registerResume } from './resume.js';
import { registerRollback } from './rollback.js';
import { registerServer } from './server.js';
import { registerStatus } from './status.js';
import { registerToken } from './token.js';
import { registerUser } from './user.js';
import { registerValidate } from './validate.js';
import { registerWorker } from './worker.js';

export type RegisterVerb = (program: Command) => void;

export const VERBS: RegisterVerb[] = [
  registerValidate,
  registerPlan,
  registerDeploy,
  registerStatus,
  registerApprove,
  registerCheck,
  registerOperatorVerbs,
  registerResume,
  registerAck,
  registerRollback,
  registerHistory,
  registerLogs,
  registerReplay,
  registerAudit,
  registerUser,
  registerWorker,
  registerProxy,
  registerDemo,
  registerToken,
  registerServer,
  registerBackups,
  registerRestore,
];

/** Verbs that talk to a gantry server when given --server or GANTRY_SERVER (they use `withOperations`). */
export const SERVER_VERBS = [
  'deploy',
  'status',
  'approve',
  'check',
  'pause',
  'promote',
  'abort',
  'resume',
  'rollback',
  'history',
  'logs',
  'audit',
  'user',
  'token',
];
