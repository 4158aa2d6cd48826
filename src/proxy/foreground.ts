// Runs the daemon until SIGTERM/SIGINT (or POST /shutdown), printing where its files are. Shared by the
// `gantry proxy` verb and the standalone entry (main.ts) that detached proxies run.

import { type DaemonOptions, startDaemon } from './daemon.js';

export async function runForeground(options: DaemonOptions): Promise<number> {
  const daemon = await startDaemon(options);
  const { paths } = daemon;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`gantry-proxy ${process.pid} is running for ${paths.home}`);
  print(`  admin socket: ${paths.socketPath}${daemon.tcpAddress ? ` and http://${daemon.tcpAddress}` : ''}`);
  print(`  token:        ${paths.tokenPath} (send it as "Authorization: Bearer <token>")`);
  print(`  logs:         ${paths.logsDir}/<service>/<version>-<instance>.log`);
  print(`  state:        ${paths.statePath}`);
  if (daemon.metricsAddress) print(`  metrics:      http://${daemon.metricsAddress}/metrics`);
  for (const service of daemon.proxy.services) print(`  serving ${service.name} on ${service.address}`);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      print(`${signal} again: exiting now; instances may be left running (the next proxy adopts them)`);
      process.exit(130);
    }
    print(`${signal}: draining and stopping every instance (send it again to exit at once)`);
    void daemon.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  await daemon.stopped;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return 0;
}
