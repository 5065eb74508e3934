// A local push service for Web Push tests (Y10–Y13): a real HTTP server on 127.0.0.1 that takes
// what a push service takes (POST to a subscription's endpoint), checks the VAPID JWT against the
// key it carries (RFC 8292), and decrypts the aes128gcm body with the subscription's private key
// as a browser would (RFC 8291). A test "browser" is `newSubscriber()`: its keys and endpoint.
import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compactVerify, importJWK } from 'jose';

export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  /** The encrypted body exactly as it came. */
  raw: Buffer;
  /** Decrypted with the subscriber's key; null when it did not decrypt. */
  plaintext: string | null;
  /** The VAPID JWT verified with the key in `k=`, audience our origin. */
  vapidValid: boolean;
}

export interface Subscriber {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  received: ReceivedPush[];
}

export interface FakePushService {
  origin: string;
  newSubscriber(): Subscriber;
  /** Answer for this subscriber's next requests (default 201). */
  answerWith(subscriber: Subscriber, status: number): void;
  all(): ReceivedPush[];
  close(): Promise<void>;
}

function decrypt(raw: Buffer, uaPrivate: ReturnType<typeof createECDH>, auth: Buffer): string | null {
  try {
    const salt = raw.subarray(0, 16);
    const idlen = raw.readUInt8(20);
    const asPublic = raw.subarray(21, 21 + idlen);
    const body = raw.subarray(21 + idlen);
    const uaPublic = uaPrivate.getPublicKey();
    const shared = uaPrivate.computeSecret(asPublic);
    const ikm = Buffer.from(hkdfSync('sha256', shared, auth, Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]), 32));
    const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
    const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(body.subarray(body.length - 16));
    const padded = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    if (padded[end] !== 0x02) return null;
    return padded.subarray(0, end).toString('utf8');
  } catch {
    return null;
  }
}

async function verifyVapid(header: string | undefined, origin: string): Promise<boolean> {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (match === null) return false;
  const raw = Buffer.from(match[2]!, 'base64url');
  if (raw.length !== 65) return false;
  const key = await importJWK({ kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') }, 'ES256');
  try {
    const { payload } = await compactVerify(match[1]!, key);
    const claims = JSON.parse(Buffer.from(payload).toString('utf8')) as { aud?: string; exp?: number; sub?: string };
    return claims.aud === origin && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now() && typeof claims.sub === 'string';
  } catch {
    return false;
  }
}

export async function startFakePushService(): Promise<FakePushService> {
  const subscribers = new Map<string, { sub: Subscriber; ecdh: ReturnType<typeof createECDH>; auth: Buffer; status: number }>();
  let origin = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const path = req.url ?? '/';
        const known = subscribers.get(path);
        if (req.method !== 'POST' || known === undefined) {
          res.writeHead(404).end();
          return;
        }
        const raw = Buffer.concat(chunks);
        known.sub.received.push({
          path,
          headers: req.headers,
          raw,
          plaintext: req.headers['content-encoding'] === 'aes128gcm' ? decrypt(raw, known.ecdh, known.auth) : null,
          vapidValid: await verifyVapid(req.headers.authorization, origin),
        });
        res.writeHead(known.status).end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    newSubscriber() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${randomBytes(8).toString('hex')}`;
      const sub: Subscriber = {
        endpoint: `${origin}${path}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
        received: [],
      };
      subscribers.set(path, { sub, ecdh, auth, status: 201 });
      return sub;
    },
    answerWith(subscriber, status) {
      const entry = subscribers.get(new URL(subscriber.endpoint).pathname);
      if (entry !== undefined) entry.status = status;
    },
    all: () => [...subscribers.values()].flatMap((s) => s.sub.received),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
