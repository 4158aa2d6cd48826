// Answers the proxy gives itself, as data: the maintenance page and the 502s. Bodies say what happened.

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function maintenanceReply(service: string, retryAfterSeconds: number, message: string | null): Reply {
  const text = message ?? `${service} is down for maintenance. Please try again in a few minutes.`;
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Down for maintenance</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#222}</style>
</head><body><h1>Down for maintenance</h1><p>${escapeHtml(text)}</p></body></html>
`;
  return {
    status: 503,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'x-maintenance-mode': 'true',
      'retry-after': String(retryAfterSeconds),
      'cache-control': 'no-store',
    },
    body,
  };
}

export function noInstanceReply(service: string, detail: string): Reply {
  return proxyError(
    `gantry-proxy: service "${service}" has no healthy instance to serve this request: ${detail}.`,
    'no-healthy-instance',
  );
}

export function upstreamErrorReply(
  service: string,
  instanceId: string,
  address: string,
  error: Error & { code?: string },
): Reply {
  const reason = error.code ? `${error.code}: ${error.message}` : error.message;
  return proxyError(
    `gantry-proxy: instance ${instanceId} of "${service}" at ${address} failed before answering (${reason}); the request was not retried or the retry failed too.`,
    'upstream-failed',
  );
}

function proxyError(text: string, kind: string): Reply {
  return {
    status: 502,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'x-gantry-proxy-error': kind,
      'cache-control': 'no-store',
    },
    body: `${text}\n`,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
