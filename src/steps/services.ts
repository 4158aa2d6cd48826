// What step handlers may use besides the context: notification channels now, a target and metrics later.

import type { BackupService } from '../backup/service.js';
import type { MetricSources } from '../metrics/metric-sources.js';
import type { ChannelSender } from '../notify/channels.js';
import type { Target } from '../targets/target.js';

export interface StepServices {
  notifications: ChannelSender;
  /** The data plane of a plan with a `target`; traffic steps fail without one. */
  target?: Target;
  /** Where backups go and their retention; backup steps fall back to <GANTRY_HOME>/backups without it. */
  backups?: BackupService;
  /** Where analysis reads each metric (gantry-proxy statistics, Prometheus). */
  metrics?: MetricSources;
}
