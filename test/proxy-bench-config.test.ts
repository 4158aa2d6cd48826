// The reference nginx of the router-overhead benchmark, rendered as data: checked by equality, and by nginx
// itself when it is installed (`nginx -t` on the rendered file, as the current user, no root paths).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NGINX, nginxArgv, renderNginxConf } from '../bench/lib/nginx.js';

describe('benchmark nginx config', () => {
  it('renders a keep-alive reverse proxy whose every path is under the prefix', () => {
    const conf = renderNginxConf({
      prefix: '/tmp/b',
      listen: '127.0.0.1:8081',
      upstreams: ['127.0.0.1:9001'],
      keepalive: 64,
      workers: 1,
    });
    expect(conf.split('\n').slice(0, 6)).toEqual([
      'daemon off;',
      'master_process on;',
      'worker_processes 1;',
      'pid /tmp/b/nginx.pid;',
      'error_log /tmp/b/error.log warn;',
      'events { worker_connections 4096; }',
    ]);
    expect(conf).toContain('  upstream app {\n    server 127.0.0.1:9001;\n    keepalive 64;\n');
    expect(conf).toContain('      proxy_http_version 1.1;\n      proxy_set_header Connection "";\n');
    for (const path of conf.match(/ \/\S+/g) ?? []) expect(path.trim().startsWith('/tmp/b/')).toBe(true);
    expect(nginxArgv('/tmp/b')).toEqual([
      '-p',
      '/tmp/b',
      '-c',
      '/tmp/b/nginx.conf',
      '-e',
      '/tmp/b/error.log',
    ]);
  });

  it.skipIf(!existsSync(NGINX))('is accepted by nginx -t', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'gantry-nginx-'));
    try {
      mkdirSync(join(prefix, 'tmp'));
      const user = process.getuid?.() === 0 ? 'root' : undefined;
      writeFileSync(
        join(prefix, 'nginx.conf'),
        renderNginxConf({
          prefix,
          listen: '127.0.0.1:18081',
          upstreams: ['127.0.0.1:9'],
          keepalive: 8,
          workers: 1,
          user,
        }),
      );
      const check = spawnSync(NGINX, ['-t', ...nginxArgv(prefix)], { encoding: 'utf8' });
      expect(check.stderr).toContain('syntax is ok');
      expect(check.status).toBe(0);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });
});
