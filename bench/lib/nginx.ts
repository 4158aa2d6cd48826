// nginx as a reference reverse proxy for benchmarks: the config rendered by a pure function (tested by
// equality), run as the current user with `-p <dir> -c <conf>`, `daemon off`, no root paths.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NGINX = '/usr/sbin/nginx';

export interface NginxConfInput {
  /** Every path nginx writes (pid, logs, temp files) is under this directory. */
  prefix: string;
  listen: string;
  upstreams: string[];
  /** Idle upstream connections kept per worker (nginx `keepalive`). */
  keepalive: number;
  workers: number;
  /** `user` directive: needed only when nginx runs as root, which would otherwise switch to `nobody`. */
  user?: string;
}

export function renderNginxConf(input: NginxConfInput): string {
  const p = input.prefix;
  return `${input.user ? `user ${input.user};\n` : ''}daemon off;
master_process on;
worker_processes ${input.workers};
pid ${p}/nginx.pid;
error_log ${p}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${p}/tmp/body;
  proxy_temp_path ${p}/tmp/proxy;
  fastcgi_temp_path ${p}/tmp/fastcgi;
  uwsgi_temp_path ${p}/tmp/uwsgi;
  scgi_temp_path ${p}/tmp/scgi;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  upstream app {
${input.upstreams.map((u) => `    server ${u};`).join('\n')}
    keepalive ${input.keepalive};
    keepalive_requests 1000000;
  }
  server {
    listen ${input.listen};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
}

export function nginxArgv(prefix: string): string[] {
  return ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')];
}

/** Writes the config and starts nginx in the foreground; kill the returned process to stop it. */
export function startNginx(input: NginxConfInput): ChildProcess {
  mkdirSync(join(input.prefix, 'tmp'), { recursive: true });
  writeFileSync(join(input.prefix, 'nginx.conf'), renderNginxConf(input));
  const child = spawn(NGINX, nginxArgv(input.prefix), { stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('error', (error) => {
    throw new Error(`cannot run ${NGINX}: ${error.message} (apt-get install nginx)`);
  });
  return child;
}
