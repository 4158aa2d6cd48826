// `gantry proxy`: runs gantry-proxy, the local data plane, in the foreground (or detached with --detach).
// It keeps routing at the last weights whatever happens to the control plane.

import type { Command } from 'commander';
import { connectProxy } from '../proxy/ensure.js';
import { runForeground } from '../proxy/foreground.js';
import { defaultHome, proxyHome } from '../proxy/home.js';
import { spawnDetachedProxy, waitForProxy } from '../proxy/spawn.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { setExitCode } from './program.js';

interface ProxyOptions {
  admin?: string;
  metrics?: string;
  detach?: boolean;
  output: string;
}

export function registerProxy(program: Command): void {
  const command = program
    .command('proxy')
    .description(
      'Run gantry-proxy, the local data plane: routes traffic by weight and supervises app instances',
    )
    .option(
      '--admin <host:port>',
      'also serve the admin API on loopback TCP (it is always on <GANTRY_HOME>/proxy.sock)',
    )
    .option('--metrics <host:port>', 'serve unauthenticated Prometheus /metrics on this address')
    .option('--detach', 'start in the background and return once the admin socket answers')
    .addHelpText(
      'after',
      [
        '',
        'One proxy serves every service of a state directory (GANTRY_HOME, default ./.gantry). Its admin API',
        'needs the bearer token in <GANTRY_HOME>/proxy.token; instance logs go to <GANTRY_HOME>/logs/.',
        'SIGTERM or Ctrl-C drains and stops every instance; a restarted proxy restores services and weights',
        'from <GANTRY_HOME>/proxy-state.json and re-adopts instances that are still running.',
        '',
        'Example:',
        '  gantry proxy --detach --metrics 127.0.0.1:9464',
        '  curl --unix-socket .gantry/proxy.sock -H "Authorization: Bearer $(cat .gantry/proxy.token)" http://proxy/services',
      ].join('\n'),
    );
  outputOption(command).action(async (options: ProxyOptions, cmd: Command) => {
    const home = defaultHome();
    if (!options.detach) {
      setExitCode(cmd, await runForeground({ home, admin: options.admin, metrics: options.metrics }));
      return;
    }
    const running = await connectProxy(home);
    const client =
      running ??
      (await waitForProxy(home, {
        exited: spawnDetachedProxy({ home, admin: options.admin, metrics: options.metrics }).exited,
      }));
    const health = await client.health();
    client.close();
    const paths = proxyHome(home);
    if (formatOf(options) === 'json') {
      printJson({
        pid: health.pid,
        alreadyRunning: running !== undefined,
        socket: paths.socketPath,
        token: paths.tokenPath,
        logs: paths.logsDir,
        log: paths.daemonLogPath,
      });
      return;
    }
    printLine(`gantry-proxy ${health.pid} ${running ? 'was already' : 'is'} running for ${paths.home}`);
    printLine(`  admin socket: ${paths.socketPath}`);
    printLine(`  token:        ${paths.tokenPath}`);
    printLine(`  logs:         ${paths.logsDir} (the proxy's own: ${paths.daemonLogPath})`);
  });
}
