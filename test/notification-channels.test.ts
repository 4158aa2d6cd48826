// Each channel type through the engine, against real receivers on loopback: email through a real SMTP
// server (smtp-server) with a login, webhooks carrying severities; a refused delivery is recorded, never
// fatal, and a secret in a channel's settings never reaches the journal.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT } from '../src/deployment/events.js';
import { createDeployment } from '../src/engine/create.js';
import { Engine } from '../src/engine/engine.js';
import type { Journal } from '../src/journal/journal.js';
import { type SmtpReceiver, smtpReceiver } from './support/smtp-receiver.js';
import { type WebhookReceiver, webhookReceiver } from './support/webhook-receiver.js';
import { type Workspace, workspace } from './support/workspace.js';

const SMTP_PASSWORD = 'smtp-Pa55word-never-logged';

let ws: Workspace;
let journal: Journal;
let engines: Engine[];

beforeEach(async () => {
  ws = workspace();
  journal = await ws.openJournal();
  engines = [];
});

afterEach(async () => {
  for (const engine of engines) await engine.close();
  await journal.close();
  ws.remove();
});

async function run(yaml: string, env: NodeJS.ProcessEnv = {}) {
  const planPath = ws.writePlan('plan.yaml', yaml);
  const { deployment } = await createDeployment(journal, {
    planPath,
    version: '2.0.0',
    requestedBy: 'alice',
    env,
  });
  const engine = new Engine({ journal, pollMs: 20, env, home: ws.home });
  engines.push(engine);
  const status = await engine.drive(deployment.id);
  return { id: deployment.id, status, events: await journal.readEvents(deployment.id) };
}

const emailChannel = (smtp: SmtpReceiver) => `
    mail:
      email:
        host: ${smtp.host}
        port: ${smtp.port}
        from: "Gantry <gantry@example.com>"
        to: [all-team@example.com, ops@example.com]
        auth: { user: gantry, password: "\${secrets.SMTP_PASSWORD}" }`;

describe('email', () => {
  let smtp: SmtpReceiver;
  beforeEach(async () => {
    smtp = await smtpReceiver({ user: 'gantry', password: SMTP_PASSWORD });
  });
  afterEach(() => smtp.close());

  it('delivers lifecycle notifications through a real SMTP server, the severity leading the subject', async () => {
    const { status, events } = await run(
      `
service: shop-api
secrets: { SMTP_PASSWORD: { env: SMTP_PASSWORD } }
preflight:
  - name: migrations applied
    run: echo "2 migrations pending" >&2; exit 1
steps:
  - run: "true"
notify:
  channels:${emailChannel(smtp)}
  on: { started: [mail], failed: [mail] }
`,
      { SMTP_PASSWORD },
    );
    expect(status).toBe('failed');
    expect(smtp.received.map((m) => m.subject)).toEqual([
      '[INFO] shop-api 2.0.0 → production started',
      '[CRITICAL] shop-api 2.0.0 → production failed',
    ]);
    const failed = smtp.received[1];
    expect(failed?.user).toBe('gantry');
    expect(failed?.to).toEqual(['all-team@example.com', 'ops@example.com']);
    expect(failed?.headers['x-gantry-severity']).toBe('critical');
    expect(failed?.text).toContain(
      'shop-api 2.0.0 → production failed: step preflight[0] (migrations applied) failed',
    );
    expect(failed?.text).toContain('2 migrations pending');
    expect(failed?.text).toMatch(/Status\s+failed/);
    const sent = events.filter((e) => e.type === EVENT.notificationSent);
    expect(sent.map((e) => [e.data.channel, e.data.event, e.data.severity])).toEqual([
      ['mail', 'started', 'info'],
      ['mail', 'failed', 'critical'],
    ]);
    expect(JSON.stringify(events)).not.toContain(SMTP_PASSWORD);
  });

  it('records a refused login as a failed notification, without the password, and the deployment still succeeds', async () => {
    const wrong = 'wrong-Pa55word-echoed-back';
    const { status, events } = await run(
      `
service: shop-api
secrets: { SMTP_PASSWORD: { env: SMTP_PASSWORD } }
steps:
  - notify: { channels: mail, message: "shop-api \${version} is going out" }
notify:
  channels:${emailChannel(smtp)}
  on: { succeeded: [mail] }
`,
      { SMTP_PASSWORD: wrong },
    );
    expect(status).toBe('succeeded');
    expect(smtp.received).toEqual([]);
    const failed = events.filter((e) => e.type === EVENT.notificationFailed);
    expect(failed.map((e) => e.data.event)).toEqual(['succeeded']);
    // The server answered "535 login refused for gantry with password <it>": recorded, redacted.
    expect(failed[0]?.data.error).toMatch(
      /^EAUTH: .*535 login refused for gantry with password \[redacted:SMTP_PASSWORD\]/,
    );
    const step = events.find((e) => e.type === EVENT.stepSucceeded);
    expect(JSON.stringify(step?.data.result)).toContain('[redacted:SMTP_PASSWORD]');
    expect(JSON.stringify(events)).not.toContain(wrong);
  });
});

describe('webhook severities', () => {
  let hooks: WebhookReceiver;
  beforeEach(async () => {
    hooks = await webhookReceiver();
  });
  afterEach(() => hooks.close());

  it("carries each event's severity, as the plan ranks it, in the payload and a header", async () => {
    const { status } = await run(`
service: shop-api
steps:
  - notify: hook
  - run: exit 3
notify:
  channels: { hook: { webhook: "${hooks.url}/hook" } }
  on: { started: [hook], rolling_back: [hook], rolled_back: [hook] }
  severity: { rolled_back: error, step: warning }
`);
    expect(status).toBe('rolled_back');
    const received = hooks.received.map((r) => ({
      ...JSON.parse(r.body),
      header: r.headers['x-gantry-severity'],
    }));
    expect(received.map((b) => [b.event, b.severity, b.header])).toEqual([
      ['started', 'info', 'info'],
      ['step', 'warning', 'warning'],
      ['rolling_back', 'warning', 'warning'],
      ['rolled_back', 'error', 'error'],
    ]);
    expect(received[3].title).toBe('shop-api 2.0.0 → production was rolled back');
  });
});
