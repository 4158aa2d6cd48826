// A planted secret value never appears in stdout, stderr, log files, the journal's database files or
// `-o json` output, wherever the plan uses it: command env, HTTP headers, webhook signing, messages.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gantry } from './support/cli.js';
import { type WebhookReceiver, webhookReceiver } from './support/webhook-receiver.js';
import { type Workspace, workspace } from './support/workspace.js';

const SECRET = 'pl4nted-S3cret-v4lue';

let ws: Workspace;
let receiver: WebhookReceiver;
beforeEach(async () => {
  ws = workspace();
  receiver = await webhookReceiver();
});
afterEach(async () => {
  await receiver.close();
  ws.remove();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secrets', () => {
  it('never appear in any output, log file or journal file', async () => {
    const planPath = ws.writePlan(
      'plan.yaml',
      `
service: vault
secrets:
  API_TOKEN: { env: PLANTED_TOKEN }
preflight:
  - http:
      url: "${receiver.url}/check"
      method: POST
      headers: { authorization: "Bearer \${secrets.API_TOKEN}" }
      body: { token: "\${secrets.API_TOKEN}" }
steps:
  - run: echo "token=$TOKEN"; echo "stderr $TOKEN" >&2
    env: { TOKEN: "\${secrets.API_TOKEN}" }
  - notify: { channels: hook, message: "using \${secrets.API_TOKEN}" }
  - run: 'echo "fatal: bad token $TOKEN" >&2; exit 1'
    env: { TOKEN: "\${secrets.API_TOKEN}" }
notify:
  channels: { hook: { webhook: { url: "${receiver.url}/hook", secret: "\${secrets.API_TOKEN}" } } }
  on: { rolled_back: [hook] }
`,
    );
    const cli = { home: ws.home, env: { PLANTED_TOKEN: SECRET } };
    const outputs = [await gantry(['deploy', planPath, '--version', '9.9.9', '--wait'], cli)];
    const id = /d-[0-9a-f]+/.exec(outputs[0]?.stdout ?? '')?.[0] as string;
    expect(outputs[0]?.stdout).toContain('rolled_back');
    for (const args of [
      ['status', id],
      ['status', id, '-o', 'json'],
      ['logs', id, '--all-output'],
      ['logs', id, '-o', 'json'],
      ['history', '-o', 'json'],
      ['plan', planPath, '-o', 'json'],
      ['audit', 'verify', '-o', 'json'],
    ]) {
      outputs.push(await gantry(args, cli));
    }
    // The secret really was used: the receiver saw it (it is the receiver's to see) and output was redacted.
    expect(receiver.received.some((r) => r.headers.authorization === `Bearer ${SECRET}`)).toBe(true);
    expect(outputs.map((o) => o.stdout).join('\n')).toContain('[redacted:API_TOKEN]');

    for (const output of outputs) {
      expect(output.stdout).not.toContain(SECRET);
      expect(output.stderr).not.toContain(SECRET);
    }
    const files = filesUnder(ws.home);
    expect(files.some((f) => f.endsWith('.log'))).toBe(true);
    for (const file of files) {
      expect(readFileSync(file).includes(Buffer.from(SECRET)), `${file} contains the secret`).toBe(false);
    }
  });
});
