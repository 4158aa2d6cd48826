// The slice of gantry-proxy's admin client the builtin source reads (STYLE 6); AdminClient has this shape.

import type { StatsQuery, StatsReport } from '../../proxy/api.js';

export interface ProxyStats {
  stats(service: string, query: StatsQuery): Promise<StatsReport>;
}
