// gantry-proxy, assembled: claims the state directory, restores the snapshot (re-adopting live instances),
// then opens the admin API. `stop()` drains and stops everything (or leaves instances running for a
// successor to adopt, with keepInstances).

import { mkdir } from 'node:fs/promises';
import { GantryError } from '../errors.js';
import { type AdminServers, startAdminServers } from './admin/server.js';
import { claimHome, releaseHome } from './claim.js';
import { type ProxyHome, proxyHome } from './home.js';
import { type ListenAddress, parseListenAddress } from './listen-address.js';
import { renderMetrics } from './metrics-text.js';
import { GantryProxy } from './proxy.js';
import { readSnapshot, SnapshotWriter, snapshotOf } from './snapshot.js';
import { DEFAULT_LIMITS, type StatsLimits, StatsStore } from './stats/stats-store.js';
import { type BackoffPolicy, DEFAULT_BACKOFF } from './supervisor/backoff.js';
import { InstanceRunner } from './supervisor/instance-runner.js';
import { ResourceSampler } from './supervisor/sampler.js';
import { Supervisor } from './supervisor/supervisor.js';
import { loadOrCreateToken } from './token.js';

export interface DaemonOptions {
  home: string;
  /** Also serve the admin API on loopback TCP, e.g. "127.0.0.1:7070". */
  admin?: string;
  /** Serve unauthenticated /metrics here, for Prometheus. */
  metrics?: string;
  log?: (line: string) => void;
  limits?: Partial<StatsLimits>;
  backoff?: Partial<BackoffPolicy>;
  /** How long in-flight requests may take to finish when the proxy stops; default 10 s. */
  stopGraceMs?: number;
}

export interface RunningDaemon {
  paths: ProxyHome;
  proxy: GantryProxy;
  tcpAddress: string | undefined;
  metricsAddress: string | undefined;
  /** Resolves once the daemon has stopped, whoever stopped it. */
  stopped: Promise<void>;
  stop(options?: { keepInstances?: boolean }): Promise<void>;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const log =
    options.log ?? ((line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`));
  const paths = proxyHome(options.home);
  const tcp = options.admin ? parseListenAddress(options.admin, '--admin') : undefined;
  const metrics = options.metrics ? parseListenAddress(options.metrics, '--metrics') : undefined;
  if (tcp) assertLoopback(tcp, '--admin');
  await mkdir(paths.logsDir, { recursive: true });
  await claimHome(paths);
  const token = await loadOrCreateToken(paths.tokenPath);

  let restoring = true;
  let writer: SnapshotWriter | undefined;
  const changed = () => {
    if (!restoring) writer?.schedule();
  };
  const stats = new StatsStore({ ...DEFAULT_LIMITS, ...options.limits });
  const runner = new InstanceRunner({
    paths,
    baseEnv: process.env,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    changed,
    log,
  });
  const proxy = new GantryProxy(paths.home, stats, new Supervisor(paths, runner, changed), changed);
  writer = new SnapshotWriter(
    paths.statePath,
    () => snapshotOf(proxy.services),
    (error) => log(`cannot write ${paths.statePath}: ${error.message}`),
  );

  const snapshot = await readSnapshot(paths.statePath);
  if (snapshot) await proxy.restore(snapshot, log);
  restoring = false;
  writer.schedule();

  const sampler = new ResourceSampler(() => proxy.instances());
  sampler.start();
  const pruner = setInterval(() => {
    for (const service of proxy.services) service.stats.prune(Date.now(), (v) => service.versions.has(v));
  }, 60_000);
  pruner.unref();

  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let stopping: Promise<void> | undefined;
  const stop = (stopOptions: { keepInstances?: boolean } = {}): Promise<void> => {
    stopping ??= (async () => {
      log(
        stopOptions.keepInstances
          ? 'stopping; instances keep running for the next proxy to adopt'
          : 'stopping: draining and stopping every instance',
      );
      await writer.freeze();
      sampler.stop();
      clearInterval(pruner);
      await proxy.shutdown(stopOptions.keepInstances === true, options.stopGraceMs ?? 10_000);
      await servers.close();
      await releaseHome(paths);
      log('stopped');
      resolveStopped();
    })();
    return stopping;
  };

  const servers: AdminServers = await startAdminServers({
    api: {
      proxy,
      metricsText: () => renderMetrics(proxy.metricsView()),
      shutdown: (keepInstances) => setImmediate(() => void stop({ keepInstances })),
    },
    token,
    tokenPath: paths.tokenPath,
    socketPath: paths.socketPath,
    tcp,
    metrics,
  });
  return {
    paths,
    proxy,
    tcpAddress: servers.tcpAddress,
    metricsAddress: servers.metricsAddress,
    stopped,
    stop,
  };
}

function assertLoopback(address: ListenAddress, flag: string): void {
  if (address.host === '127.0.0.1' || address.host === '::1' || address.host === 'localhost') return;
  throw new GantryError('GANTRY_USAGE', `${flag} must be a loopback address, not ${address.host}`, {
    where: flag,
    hint: 'the admin API controls processes: bind it to 127.0.0.1 or [::1] only, e.g. --admin 127.0.0.1:7070',
  });
}
