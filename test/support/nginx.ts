// A real nginx (Debian's /usr/sbin/nginx) for the nginx-target tests, run by the test in its own prefix:
// pid file, temp paths and error log in a temporary folder, `daemon off` so the test owns the process, and
// an http block that includes whatever Gantry writes into conf.d/.

import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceCheck } from './services.js';

export const NGINX = process.env.GANTRY_TEST_NGINX || '/usr/sbin/nginx';

export function requireNginx(): ServiceCheck {
  try {
    accessSync(NGINX, constants.X_OK);
    return { available: true };
  } catch {
    const reason = `no nginx at ${NGINX} (apt-get install nginx, or set GANTRY_TEST_NGINX)`;
    if (process.env.GANTRY_REQUIRE_SERVICES === '1')
      throw new Error(`GANTRY_REQUIRE_SERVICES=1 but ${reason}`);
    console.warn(`skipping nginx tests: ${reason}`);
    return { available: false, reason };
  }
}

export interface NginxProcess {
  prefix: string;
  /** Where the target's config files go (included from the http block). */
  confDir: string;
  /** `nginx -t` and `nginx -s reload` for this instance, as a plan writes them. */
  testCommand: string;
  reloadCommand: string;
  stop(): Promise<void>;
}

/** Starts nginx in `prefix`; it serves nothing until a file appears in conf.d/ and it is reloaded. */
export async function startNginx(prefix: string): Promise<NginxProcess> {
  const confDir = join(prefix, 'conf.d');
  mkdirSync(confDir, { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  const temp = (name: string) => `    ${name}_temp_path ${join(prefix, `tmp-${name}`)};`;
  writeFileSync(
    conf,
    [
      // As root, workers would run as nobody, who cannot enter the test's private folder.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'worker_processes 1;',
      `pid ${join(prefix, 'nginx.pid')};`,
      `error_log ${join(prefix, 'error.log')} notice;`,
      'events { worker_connections 256; }',
      'http {',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp),
      '    access_log off;',
      `    include ${confDir}/*.conf;`,
      '}',
      '',
    ].join('\n'),
  );
  const base = `${NGINX} -p ${prefix} -c ${conf}`;
  const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-c', conf, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const deadline = Date.now() + 10_000;
  while (!existsSync(join(prefix, 'nginx.pid'))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    prefix,
    confDir,
    testCommand: `${base} -t`,
    reloadCommand: `${base} -s reload`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
