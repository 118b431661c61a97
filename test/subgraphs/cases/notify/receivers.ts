import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { closeServer } from '../../../../platform/server/subgraph-server.ts';
import { DELIVERY_HEADER } from '../../../../subgraphs/cases/domain/notifications.ts';
import {
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  webhookSignatureProblem,
} from '../../../../platform/webhook-signature.ts';

/** Emits `message` after every message a sink or receiver below accepts, so tests wait on arrivals. */
const arrivals = new EventEmitter();

/** One message the SMTP sink accepted: envelope recipients and the raw RFC 5322 text. */
export interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that keeps every message it accepts; on `port` when given (a recovery). */
export async function startSmtpSink(port = 0): Promise<{ url: string; mails: ReceivedMail[]; stop(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
        arrivals.emit('message');
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    mails,
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** The code in a mail's text, whatever transfer encoding nodemailer chose for the Chinese text. */
export function codeInMail(mail: ReceivedMail): string {
  const [headers, ...body] = mail.raw.split(/\r?\n\r?\n/);
  let text = body.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(headers)) text = Buffer.from(text, 'base64').toString('utf8');
  text = text.replace(/=\r?\n/g, '');
  const code = /Your code is (\d{6})/.exec(text)?.[1];
  if (!code) throw new Error(`no code in the mail:\n${mail.raw}`);
  return code;
}

/** One POST the webhook receiver got. */
export interface ReceivedHook {
  path: string;
  delivery: string;
  /** The Standard Webhooks headers as received. */
  webhookId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  /** Null when the signature verified against the receiver's secret and the timestamp was fresh, else why not. */
  signatureProblem: string | null;
  body: string;
}

/**
 * A real webhook receiver that checks deliveries as the README tells receivers to: the Standard
 * Webhooks signature over id, timestamp and body with `secret`, a timestamp within five minutes
 * (401 otherwise, and nothing processed), and each `webhook-id` processed once (`processed`).
 * It answers from `answers` (200 once they run out).
 */
export async function startWebhookReceiver(secret: string): Promise<{
  url: string;
  hooks: ReceivedHook[];
  processed: Set<string>;
  answers: number[];
  stop(): Promise<void>;
}> {
  const hooks: ReceivedHook[] = [];
  const processed = new Set<string>();
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signatureProblem = webhookSignatureProblem(secret, body, req.headers);
      const webhookId = req.headers[WEBHOOK_ID_HEADER] as string | undefined;
      hooks.push({
        path: req.url ?? '/',
        delivery: String(req.headers[DELIVERY_HEADER]),
        webhookId,
        timestamp: req.headers[WEBHOOK_TIMESTAMP_HEADER] as string | undefined,
        signature: req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined,
        signatureProblem,
        body,
      });
      const status = signatureProblem ? 401 : (answers.shift() ?? 200);
      if (status < 300 && webhookId) processed.add(webhookId);
      res.writeHead(status).end();
      arrivals.emit('message');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hooks,
    processed,
    answers,
    stop: () => closeServer(server, 100),
  };
}

/** The headers of a raw message, unfolded, with RFC 2047 encoded words decoded; names lower-cased. */
export function mailHeaders(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const decode = (value: string) =>
    value
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
        encoding.toLowerCase() === 'b'
          ? Buffer.from(text, 'base64').toString('utf8')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            ).toString('utf8'),
      );
  return Object.fromEntries(
    head.split(/\r?\n/).map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), decode(line.slice(colon + 1).trim())];
    }),
  );
}

/**
 * Resolves once `done()` holds, checking it again at each message a receiver accepts (no polling);
 * rejects, naming what it waited for, when `timeoutMs` passes first. The timer is only that
 * guard: the dispatcher under test runs on its own real timer, so arrivals are the event to await.
 */
export function whenReceived(done: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      clearTimeout(guard);
      arrivals.off('message', check);
      resolve();
    };
    const guard = setTimeout(() => {
      arrivals.off('message', check);
      reject(new Error(`Still waiting after ${timeoutMs} ms for ${what}.`));
    }, timeoutMs);
    arrivals.on('message', check);
  });
}
