// The nginx configuration of one service, as a pure function of what should route where: an upstream per
// slot in rotation, split_clients on $request_id for the weights (exact percentages, a fresh draw per
// request), a map for the header-routed canary, the maintenance page, and a JSON access log per version.

export interface RoutedSlot {
  slot: string;
  version: string;
  /** The servers in rotation (host:port or unix:/path). */
  servers: string[];
  /** Share of traffic in percent of the whole; 0 for a version reached only by the canary header. */
  weightPct: number;
}

export interface NginxRouting {
  service: string;
  environment: string;
  listen: string;
  serverName?: string;
  slots: RoutedSlot[];
  /** The slot that requests with the canary header go to. */
  headerRoute: string | null;
  canaryHeader: string;
  maintenance: { enabled: boolean; message?: string; retryAfterSeconds?: number };
  accessLog?: string;
  keepalive: number;
  /** Answered at /__gantry/generation, so Gantry knows when nginx serves this configuration. */
  generation: string;
  /** Addresses allowed to read the generation besides loopback. */
  checkFrom?: string;
}

export const GENERATION_PATH = '/__gantry/generation';

export function renderNginxConfig(routing: NginxRouting): string {
  const id = identifier(routing.service, routing.environment);
  const upstreamOf = (slot: string) => `${id}_${sanitize(slot)}`;
  const blocks = [
    ...routing.slots.map((slot) => upstreamBlock(upstreamOf(slot.slot), slot.servers, routing.keepalive)),
    ...splitBlock(routing, id, upstreamOf),
    chooserBlock(routing, id, upstreamOf),
    versionBlock(routing, id, upstreamOf),
    `map $http_upgrade $${id}_connection {\n    default upgrade;\n    "" "";\n}`,
    ...(routing.accessLog ? [logFormat(id)] : []),
    serverBlock(routing, id),
  ];
  return `${blocks.join('\n\n')}\n`;
}

/** "shop-api", "production" → "gantry_shop_api_production": names nginx accepts for upstreams and variables. */
export function identifier(service: string, environment: string): string {
  return `gantry_${sanitize(service)}_${sanitize(environment)}`;
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

function upstreamBlock(name: string, servers: string[], keepalive: number): string {
  const lines = servers.map((server) => `    server ${server};`);
  if (keepalive > 0) lines.push(`    keepalive ${keepalive};`);
  return `upstream ${name} {\n${lines.join('\n')}\n}`;
}

/** Weighted versions, smallest share first; the largest takes the rest (`*`), so rounding never loses any. */
function splitBlock(routing: NginxRouting, id: string, upstreamOf: (slot: string) => string): string[] {
  const weighted = routing.slots
    .filter((slot) => slot.weightPct > 0)
    .sort((a, b) => a.weightPct - b.weightPct || a.slot.localeCompare(b.slot));
  if (weighted.length === 0) return [];
  const lines = weighted.map((slot, index) => {
    const share = index === weighted.length - 1 ? '*' : `${formatPct(slot.weightPct)}%`;
    return `    ${share.padEnd(8)}${upstreamOf(slot.slot)};`;
  });
  return [`split_clients "\${request_id}" $${id}_split {\n${lines.join('\n')}\n}`];
}

/** The canary header wins over the weights; without weights, nothing is chosen (and the server answers 503). */
function chooserBlock(routing: NginxRouting, id: string, upstreamOf: (slot: string) => string): string {
  const lines: string[] = [];
  if (routing.headerRoute !== null) {
    for (const value of ['"1"', '"true"'])
      lines.push(`    ${value.padEnd(8)}${upstreamOf(routing.headerRoute)};`);
  }
  const weighted = routing.slots.some((slot) => slot.weightPct > 0);
  lines.push(`    default ${weighted ? `$${id}_split` : '""'};`);
  return `map ${headerVariable(routing.canaryHeader)} $${id}_upstream {\n${lines.join('\n')}\n}`;
}

/** Which version served a request, for the X-Gantry-Version header and the access log. */
function versionBlock(routing: NginxRouting, id: string, upstreamOf: (slot: string) => string): string {
  const lines = routing.slots.map((slot) => `    ${upstreamOf(slot.slot)} ${quote(slot.version)};`);
  lines.push('    default "";');
  return `map $${id}_upstream $${id}_version {\n${lines.join('\n')}\n}`;
}

function logFormat(id: string): string {
  const fields = [
    '"time":$msec',
    '"status":$status',
    '"requestTime":$request_time',
    '"upstream":"$upstream_addr"',
    `"version":"$${id}_version"`,
  ];
  return `log_format ${id} escape=json '{${fields.join(',')}}';`;
}

function serverBlock(routing: NginxRouting, id: string): string {
  const lines = [`    listen ${routing.listen};`];
  if (routing.serverName) lines.push(`    server_name ${routing.serverName};`);
  lines.push(routing.accessLog ? `    access_log ${routing.accessLog} ${id};` : '    access_log off;');
  lines.push('', ...indent(generationLocation(routing)), '', ...indent(mainLocation(routing, id)));
  return `server {\n${lines.join('\n')}\n}`;
}

function generationLocation(routing: NginxRouting): string[] {
  const allowed = ['127.0.0.1', '::1', ...(routing.checkFrom ? [routing.checkFrom] : [])];
  return [
    `location = ${GENERATION_PATH} {`,
    ...allowed.map((address) => `    allow ${address};`),
    '    deny all;',
    '    access_log off;',
    '    default_type text/plain;',
    `    return 200 "${routing.generation}";`,
    '}',
  ];
}

function mainLocation(routing: NginxRouting, id: string): string[] {
  const { maintenance } = routing;
  // Maintenance with no header-routed version: every request gets the page.
  if (maintenance.enabled && routing.headerRoute === null) {
    return ['location / {', '    default_type text/html;', ...maintenanceReply(routing, '    '), '}'];
  }
  const weighted = routing.slots.some((slot) => slot.weightPct > 0);
  const guard = maintenance.enabled
    ? [
        `    if (${headerVariable(routing.canaryHeader)} !~ "^(1|true)$") {`,
        ...maintenanceReply(routing, '        '),
        '    }',
      ]
    : [];
  const body = [
    '    default_type text/html;',
    ...guard,
    ...(weighted ? [] : nothingRoutedGuard(routing, id)),
    `    proxy_pass http://$${id}_upstream;`,
    '    proxy_http_version 1.1;',
    '    proxy_set_header Host $host;',
    '    proxy_set_header Upgrade $http_upgrade;',
    `    proxy_set_header Connection $${id}_connection;`,
    '    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '    proxy_set_header X-Forwarded-Proto $scheme;',
    `    add_header X-Gantry-Version $${id}_version always;`,
  ];
  return ['location / {', ...body, '}'];
}

/** The maintenance page: 503 with X-Maintenance-Mode and Retry-After, as gantry-proxy answers it. */
function maintenanceReply(routing: NginxRouting, pad: string): string[] {
  const { maintenance } = routing;
  const text =
    maintenance.message ?? `${routing.service} is down for maintenance. Please try again in a few minutes.`;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Down for maintenance</title></head><body><h1>Down for maintenance</h1><p>${escapeHtml(text)}</p></body></html>`;
  return [
    `${pad}add_header X-Maintenance-Mode true always;`,
    `${pad}add_header Retry-After ${maintenance.retryAfterSeconds ?? 300} always;`,
    `${pad}add_header Cache-Control no-store always;`,
    `${pad}return 503 ${quote(page)};`,
  ];
}

function nothingRoutedGuard(routing: NginxRouting, id: string): string[] {
  const text = `no version of ${routing.service} (${routing.environment}) receives traffic yet`;
  return [`    if ($${id}_upstream = "") {`, `        return 503 ${quote(text)};`, '    }'];
}

/** X-Gantry-Canary → $http_x_gantry_canary */
function headerVariable(header: string): string {
  return `$http_${header.toLowerCase().replace(/-/g, '_')}`;
}

function formatPct(pct: number): string {
  return String(Math.round(pct * 100) / 100);
}

function indent(lines: string[]): string[] {
  return lines.map((line) => (line === '' ? '' : `    ${line}`));
}

/** A double-quoted nginx string: backslashes and quotes escaped; `$` never reaches it (see escapeHtml). */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '')}"`;
}

/** HTML-escaped, `$` as an entity too: nginx would read `$word` in a string as a variable. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\$/g, '&#36;')
    .replace(/[\r\n]+/g, ' ');
}
