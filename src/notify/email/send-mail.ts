// The thin layer that speaks SMTP (nodemailer stays behind this file): one connection per attempt, the
// timeout on every phase of it, retries with backoff; every failure becomes a Delivery record.

import nodemailer from 'nodemailer';
import { toError } from '../../errors.js';
import { type DeliverOptions, type Delivery, retrying } from '../deliver.js';
import type { MailRequest } from './email-notifier.js';

const DEFAULT_TIMEOUT_MS = 10_000;

export function sendMail(request: MailRequest, options: Partial<DeliverOptions> = {}): Promise<Delivery> {
  return retrying((attempt) => attemptOnce(request, attempt, options), options);
}

async function attemptOnce(
  request: MailRequest,
  attempt: number,
  options: Partial<DeliverOptions>,
): Promise<Delivery> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    ...request.transport,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const abort = () => transport.close();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    await transport.sendMail(request.message);
    return { ok: true, attempts: attempt };
  } catch (thrown) {
    const error = toError(thrown) as Error & { code?: string; responseCode?: number };
    return {
      ok: false,
      attempts: attempt,
      ...(error.responseCode ? { status: error.responseCode } : {}),
      error: error.code ? `${error.code}: ${error.message}` : error.message,
    };
  } finally {
    options.signal?.removeEventListener('abort', abort);
    transport.close();
  }
}
