// Where a run writes its human-readable lines: a file per deployment for detached engines, memory in tests.

import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type DeploymentLog = (line: string) => void;

export const discardLog: DeploymentLog = () => {};

export function fileLog(path: string): DeploymentLog {
  mkdirSync(dirname(path), { recursive: true });
  return (line) => appendFileSync(path, `${line}\n`);
}
