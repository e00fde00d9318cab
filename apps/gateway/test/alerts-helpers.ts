import { createDecipheriv, createECDH, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function listenOn(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface WebhookCall {
  eventId: string;
  signatureValid: boolean;
  timestamp: number;
  payload: { id: string; type: string; alerts: Array<{ key: string; kind: string; titleId: string; subject: string }> };
}

/**
 * A webhook receiver that verifies X-MG-Signature the way the decision record tells integrators to:
 * HMAC-SHA256(secret, "<t>.<raw body>"), compared in constant time. `statuses` are answered in turn
 * (then 200), to exercise retries. `secret` gets the request path (several people may share a receiver).
 */
export async function startWebhookReceiver(secret: (path: string) => string, statuses: number[] = []) {
  const calls: WebhookCall[] = [];
  const attempts: number[] = [];
  const server = createServer(async (req, res) => {
    const raw = (await body(req)).toString('utf8');
    const status = statuses.shift() ?? 200;
    attempts.push(status);
    if (status === 200) {
      const header = String(req.headers['x-mg-signature'] ?? '');
      const t = Number(/t=(\d+)/.exec(header)?.[1]);
      const v1 = /v1=([0-9a-f]{64})/.exec(header)?.[1] ?? '';
      const expected = createHmac('sha256', secret(req.url ?? ''))
        .update(`${t}.${raw}`)
        .digest('hex');
      calls.push({
        eventId: String(req.headers['x-mg-event-id']),
        signatureValid: v1.length === 64 && timingSafeEqual(Buffer.from(v1), Buffer.from(expected)),
        timestamp: t,
        payload: JSON.parse(raw),
      });
    }
    res.writeHead(status).end();
  });
  const url = await listenOn(server);
  return { url: `${url}/hook`, calls, attempts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A real SMTP server (the smtp-server package) that parses every message it receives. */
export async function startSmtp() {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((m) => {
          messages.push(m);
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * A push service endpoint holding the subscription's private key: it decrypts each message per
 * RFC 8291 (aes128gcm record, ECDH P-256 with the server's ephemeral key, HKDF with the auth secret)
 * using only node:crypto, and records the VAPID Authorization header.
 */
export async function startPushEndpoint() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  const received: Array<{ payload: unknown; authorization: string; encoding: string }> = [];
  const server = createServer(async (req, res) => {
    const raw = await body(req);
    received.push({
      payload: JSON.parse(decryptAes128gcm(raw, ecdh, authSecret).toString('utf8')),
      authorization: String(req.headers.authorization ?? ''),
      encoding: String(req.headers['content-encoding'] ?? ''),
    });
    res.writeHead(201).end();
  });
  const url = await listenOn(server);
  return {
    subscription: {
      endpoint: `${url}/push/device-1`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
    },
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** RFC 8291 §3.4 + RFC 8188: the user agent's side of Web Push message encryption. */
export function decryptAes128gcm(message: Buffer, ua: ReturnType<typeof createECDH>, authSecret: Buffer): Buffer {
  const salt = message.subarray(0, 16);
  const idlen = message[20]!;
  const asPublic = message.subarray(21, 21 + idlen);
  const ciphertext = message.subarray(21 + idlen);
  const ecdhSecret = ua.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  const end = padded.lastIndexOf(2);
  if (end < 0) throw new Error('no padding delimiter');
  return padded.subarray(0, end);
}

/** A catalog record in the canonical JSONL shape (fields of a real title from the bundled sample). */
export function strangerThings(offers: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    id: 'alerts-stranger-things',
    kind: 'series',
    title: 'Stranger Things',
    year: 2016,
    seasons: 4,
    genres: ['drama', 'fantasy'],
    countries: ['US'],
    languages: ['en'],
    externalIds: { imdb: 'tt4574334' },
    offers,
  };
}

export async function writeJsonl(path: string, records: Array<Record<string, unknown>>): Promise<string> {
  await writeFile(path, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return path;
}

/** 2030-03-04T10:00:00Z, a fixed "now": these tests never depend on today's date. */
export const T0 = Date.parse('2030-03-04T10:00:00Z');
