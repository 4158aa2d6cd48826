// The CLI's verbs against a `gantry server` (GANTRY_SERVER + GANTRY_TOKEN) print what they print against
// the local journal, succeed and fail with the same exit codes, and act as the token's user.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gantry, gantryJson, waitFor } from './support/cli.js';
import { type TestServer, testServer } from './support/gantry-server.js';
import { type Workspace, workspace } from './support/workspace.js';

const PLAN = `
service: billing
environment: production
checklist: [Deployment team briefed]
approvals: [{ role: release-manager }]
steps:
  - { name: ship, run: "true" }
`;

let t: TestServer;
let local: Workspace;

beforeEach(async () => {
  t = await testServer();
  local = workspace();
});
afterEach(async () => {
  await t.close();
  local.remove();
});

/** Runs one scenario either locally or through the server, returning every verb's output with ids normalised. */
async function scenario(remote: boolean): Promise<string[]> {
  const outputs: string[] = [];
  const home = remote ? t.ws.home : local.home;
  const planPath = (remote ? t.ws : local).writePlan('billing.yaml', PLAN);
  const tokens: Record<string, string> = {};
  for (const [name, roles] of [
    // Roles that pass the server's permission checks, so both runs reach the same engine decisions.
    ['alice', ['deployer', 'release-manager']],
    ['bob', ['deployer', 'release-manager']],
  ] as const) {
    if (remote) tokens[name] = await t.user(name, [...roles]);
    else await gantry(['user', 'add', name, ...roles.flatMap((r) => ['--role', r])], { home });
  }
  const as = (user: string) =>
    remote
      ? { home, env: { GANTRY_SERVER: t.url, GANTRY_TOKEN: tokens[user], GANTRY_USER: 'nobody' } }
      : { home, env: { GANTRY_USER: user } };
  const deployed = await gantryJson(['deploy', planPath, '--version', '1.0.0'], as('alice'));
  const id = deployed.json.id as string;
  const record = (result: { code: number | null; stdout: string; stderr: string }) =>
    outputs.push(`${result.code}|${result.stdout}|${result.stderr}`.replaceAll(id, 'ID'));
  await waitFor(async () => {
    const status = await gantryJson(['status', id], as('alice'));
    return status.json.status === 'waiting' ? true : undefined;
  }, 'the checklist wait');
  record(await gantry(['approve', id], as('alice')));
  record(await gantry(['check', id, '1'], as('alice')));
  record(await gantry(['approve', id, '--comment', 'ok'], as('bob')));
  const final = await gantry(['status', id, '--watch'], as('alice'));
  outputs.push(final.stdout.split('\n').at(-2)?.replaceAll(id, 'ID') ?? '');
  record(await gantry(['pause', id], as('bob')));
  record(await gantry(['status', 'd-missing'], as('alice')));
  return outputs;
}

describe('the CLI through a server', () => {
  it('prints the same lines and exit codes as against the local journal', async () => {
    const [locally, remotely] = [await scenario(false), await scenario(true)];
    expect(remotely).toEqual(locally);
    expect(remotely).toEqual([
      '2||error [GANTRY_NOT_ALLOWED] (ID approvals[0]): approval refused: alice requested this deployment and cannot approve it\n',
      '0|ID: "Deployment team briefed" checked by alice; 0 item(s) left\n|',
      '0|ID: approvals[0] approved by bob as release-manager\n|',
      'ID: succeeded',
      '2||error [GANTRY_INVALID_STATE]: ID has ended (succeeded); pause does nothing now\n',
      '2||error [GANTRY_DEPLOYMENT_NOT_FOUND]: no deployment with id d-missing\n  → list deployments with `gantry history` or `gantry status`\n',
    ]);
  });

  it('acts as the token’s user and refuses --as naming someone else', async () => {
    const token = await t.user('alice', ['deployer']);
    const env = { GANTRY_SERVER: t.url, GANTRY_TOKEN: token };
    const planPath = t.ws.writePlan('billing.yaml', PLAN);
    const refused = await gantry(['deploy', planPath, '--version', '1.0.0', '--as', 'mallory'], {
      home: t.ws.home,
      env,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("this server acts as the token's user, alice, not mallory");
    const history = await gantry(['history'], { home: t.ws.home, env });
    expect(history.stdout).toBe('no deployments yet\n');
  });

  it('says what to do when the server is unreachable or no token is set', async () => {
    const noToken = await gantry(['history'], { home: t.ws.home, env: { GANTRY_SERVER: t.url } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('needs a token');
    const down = await gantry(['history', '--server', 'http://127.0.0.1:9'], {
      home: t.ws.home,
      env: { GANTRY_TOKEN: 'x' },
    });
    expect(down.stderr).toContain('cannot reach the Gantry server at http://127.0.0.1:9');
  });
});

describe('gantry server and gantry token as processes', () => {
  it('serves until SIGTERM; tokens made on the journal work, and stop working once revoked', async () => {
    const home = local.home;
    expect((await gantry(['user', 'add', 'dana', '--role', 'viewer'], { home })).code).toBe(0);
    const created = await gantry(['token', 'create', '--user', 'dana', '--expires', '1d'], { home });
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^gty\.t-[0-9a-f]{10}\.[\w-]{43}$/);
    expect(created.stderr).toContain('it is shown only now');
    const id = token.split('.')[1] as string;
    expect((await gantry(['token', 'list'], { home })).stdout).toContain(`${id}  dana`);

    const { spawn } = await import('node:child_process');
    const { GANTRY_MAIN } = await import('./support/cli.js');
    const child = spawn(process.execPath, [GANTRY_MAIN, 'server', '--listen', '127.0.0.1:0', '--no-engine'], {
      env: { ...process.env, GANTRY_HOME: home, GANTRY_DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      const url = await waitFor(
        async () => /listening on (http:\/\/\S+?)[;\s]/.exec(out)?.[1],
        'the server to listen',
      );
      const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ name: 'dana', roles: ['viewer'], actions: ['read'] });
      expect((await gantry(['token', 'revoke', id], { home })).stdout).toBe(`${id}: revoked\n`);
      expect((await gantry(['token', 'revoke', id], { home })).code).toBe(2);
      expect((await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
        401,
      );
      const index = await fetch(`${url}/`);
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    }
    expect(child.exitCode).toBe(0);
  });
});
