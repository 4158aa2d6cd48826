// Every step kind the engine can run, by kind.

import { analysisHandler } from './analysis.js';
import { approvalHandler } from './approval.js';
import { backupHandler } from './backup.js';
import { checklistHandler } from './checklist.js';
import { headerRouteHandler } from './header-route.js';
import { httpHandler } from './http.js';
import { maintenanceHandler } from './maintenance.js';
import { migrateHandler } from './migrate.js';
import { migrateDownHandler } from './migrate-down.js';
import { monitorHandler } from './monitor.js';
import { notifyHandler } from './notify.js';
import { pauseHandler } from './pause.js';
import { restoreHandler } from './restore.js';
import { restoreTrafficHandler } from './restore-traffic.js';
import { runHandler } from './run.js';
import { scaleVersionHandler } from './scale-version.js';
import { setWeightHandler } from './set-weight.js';
import { startVersionHandler } from './start-version.js';
import type { StepHandler } from './step.js';
import { stopVersionHandler } from './stop-version.js';
import { waitHandler } from './wait.js';
import { windowHandler } from './window.js';

const HANDLERS: StepHandler[] = [
  analysisHandler,
  monitorHandler,
  windowHandler,
  runHandler,
  httpHandler,
  waitHandler,
  pauseHandler,
  checklistHandler,
  approvalHandler,
  notifyHandler,
  startVersionHandler,
  setWeightHandler,
  headerRouteHandler,
  maintenanceHandler,
  scaleVersionHandler,
  stopVersionHandler,
  restoreTrafficHandler,
  backupHandler,
  restoreHandler,
  migrateHandler,
  migrateDownHandler,
];

export const STEP_HANDLERS: ReadonlyMap<string, StepHandler> = new Map(
  HANDLERS.map((handler) => [handler.kind, handler]),
);
