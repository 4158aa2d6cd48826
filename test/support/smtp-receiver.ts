// A real SMTP server on loopback (smtp-server) that parses what it receives (mailparser). With a user and
// password it requires a login, and refuses a wrong one with a reply that echoes the password it was
// given, as a careless server might: Gantry must redact it from what it records.

import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
  /** The user the client logged in as. */
  user?: string;
}

export interface SmtpReceiver {
  host: string;
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export async function smtpReceiver(login?: { user: string; password: string }): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !login,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (login && auth.username === login.user && auth.password === login.password)
        return callback(null, { user: auth.username });
      return callback(new Error(`login refused for ${auth.username} with password ${auth.password}`));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            headers: Object.fromEntries(
              [...mail.headers].map(([key, value]) => [
                key,
                typeof value === 'string' ? value : String(value),
              ]),
            ),
            ...(typeof session.user === 'string' ? { user: session.user } : {}),
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
