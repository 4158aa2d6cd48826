// Builds the nginx target of a deployment from its plan: paths resolved against the plan's folder (with
// ${service} and ${environment}), hooks that log their redacted output, and the generation check.

import { isIP } from 'node:net';
import type { DeploymentRuntime } from '../../engine/runtime.js';
import type { NginxTarget as NginxConfig } from '../../plan/schema/nginx-target.js';
import { shellRunner } from '../shell-command.js';
import { checkAddressOf, generationReader } from './generation-check.js';
import { httpProbe } from './health.js';
import { NginxTarget } from './nginx-target.js';
import { nginxPaths } from './paths.js';

export function connectNginxTarget(
  runtime: DeploymentRuntime,
  config: NginxConfig,
  log: (line: string) => void,
): NginxTarget {
  const { info, redactor } = runtime;
  const redactedLog = (line: string) => log(redactor.text(line));
  const paths = nginxPaths(runtime, config);
  const address = checkAddressOf(config.listen, config.serverName);
  // nginx's `allow` takes addresses: loopback is always allowed, a host name cannot be.
  const checkFrom =
    isIP(address.host) && !['127.0.0.1', '::1'].includes(address.host) ? address.host : undefined;
  return new NginxTarget({
    config,
    info,
    paths,
    run: shellRunner({ redact: (text) => redactor.text(text), log: redactedLog }),
    settings: { secrets: runtime.secrets, env: {}, cwd: runtime.planDir, timeoutMs: config.timeout },
    probe: httpProbe,
    liveGeneration: generationReader(address),
    ...(checkFrom ? { checkFrom } : {}),
    log: redactedLog,
  });
}
