// Web Push against the real server and a local push service (Y8–Y13): the VAPID key made once and
// kept, this device's subscription, a neutral encrypted push to exactly the officials a notice
// concerns, once per event, never a personal detail in it; subscriptions of revoked devices and
// endpoints the push service calls gone are deleted.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { VAPID_SETTING } from '../../server/push/vapid';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually } from '../support/api';
import { sampleDecision, writeDecision } from '../support/decision';
import { startFakePushService, type FakePushService, type Subscriber } from '../support/push-fake';
import { AckingClient, login, openDocument, startTestServer, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const pushes: FakePushService[] = [];
const dmsList: MemoryDms[] = [];
afterEach(async () => {
  for (const d of dmsList.splice(0)) d.release();
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  for (const p of pushes.splice(0)) await p.close();
});

async function setup(opts: { persistent?: boolean; dataDir?: string } = {}) {
  const push = await startFakePushService();
  pushes.push(push);
  const dms = createMemoryDms();
  dmsList.push(dms);
  const s = await startTestServer({ dms, ...opts, push: { serviceHosts: ['127.0.0.1'], allowHttp: true, timeoutMs: 5_000 } });
  servers.push(s);
  return { s, push, dms };
}

function subscribe(url: string, session: Session | null, body: unknown): Promise<Response> {
  return fetch(`${url}/api/push/subscription`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(session === null ? {} : { authorization: `Bearer ${session.accessToken}` }) },
    body: JSON.stringify(body),
  });
}

async function subscribed(url: string, session: Session, sub: Subscriber): Promise<void> {
  const res = await subscribe(url, session, { endpoint: sub.endpoint, keys: sub.keys });
  expect(res.status).toBe(200);
}

describe('web push', () => {
  it('[Y8] the VAPID key pair is made on first start, kept in the database, and only its public half is served', async () => {
    const { s } = await setup({ persistent: true });
    const first = (await (await fetch(`${s.url}/api/push/key`)).json()) as { publicKey: string };
    expect(first.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(Buffer.from(first.publicKey, 'base64url')[0]).toBe(0x04);
    const stored = await s.store.getSetting(VAPID_SETTING);
    expect(stored).toContain('"d"');
    const secret = (JSON.parse(stored!) as { d: string }).d;
    expect(JSON.stringify(first)).not.toContain(secret);
    const dataDir = s.dataDir!;
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const again = await startTestServer({ dataDir, push: { serviceHosts: ['127.0.0.1'], allowHttp: true } });
    servers.push(again);
    const second = (await (await fetch(`${again.url}/api/push/key`)).json()) as { publicKey: string };
    expect(second.publicKey).toBe(first.publicKey);
  });

  it('[Y9] a device subscribes with its bearer token; the body is checked; GET tells, DELETE ends it', async () => {
    const { s, push } = await setup();
    const vera = await login(s.url, 'veldwerker');
    const sub = push.newSubscriber();
    expect((await subscribe(s.url, null, { endpoint: sub.endpoint, keys: sub.keys })).status).toBe(401);
    expect((await subscribe(s.url, vera, { endpoint: sub.endpoint, keys: { p256dh: 'kort', auth: sub.keys.auth } })).status).toBe(400);
    expect((await subscribe(s.url, vera, { endpoint: sub.endpoint })).status).toBe(400);
    await subscribed(s.url, vera, sub);
    const status = async () =>
      ((await (await fetch(`${s.url}/api/push/subscription`, { headers: { authorization: `Bearer ${vera.accessToken}` } })).json()) as { subscribed: boolean }).subscribed;
    expect(await status()).toBe(true);
    const gone = await fetch(`${s.url}/api/push/subscription`, { method: 'DELETE', headers: { authorization: `Bearer ${vera.accessToken}` } });
    expect(gone.status).toBe(200);
    expect(await status()).toBe(false);
  });

  it('[Y12] only allowed push services: another host, plain http or credentials in the URL are refused', async () => {
    const { s, push } = await setup();
    const vera = await login(s.url, 'veldwerker');
    const sub = push.newSubscriber();
    for (const endpoint of ['http://10.0.0.5/intern', 'https://intranet.gemeente.local/x', 'file:///etc/passwd', sub.endpoint.replace('http://', 'http://a:b@')]) {
      const res = await subscribe(s.url, vera, { endpoint, keys: sub.keys });
      expect(res.status, endpoint).toBe(422);
    }
    const strict = await startTestServer({});
    servers.push(strict);
    const veraStrict = await login(strict.url, 'veldwerker');
    // By default only the browsers' push services over https.
    expect((await subscribe(strict.url, veraStrict, { endpoint: sub.endpoint, keys: sub.keys })).status).toBe(422);
    expect((await subscribe(strict.url, veraStrict, { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys: sub.keys })).status).toBe(200);
  });

  it('[Y10] [Y11] submit for approval wakes the approver, a return wakes the author: once each, with nothing personal in it', async () => {
    const { s, push } = await setup();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const veraPhone = push.newSubscriber();
    const kantoorPhone = push.newSubscriber();
    await subscribed(s.url, vera, veraPhone);
    await subscribed(s.url, kantoor, kantoorPhone);

    const { id, client } = await openDocument(s.url, vera.accessToken, randomUUID());
    clients.push(client);
    await writeDecision(client, id, vera, { maatwerk: true });
    const submitKey = `k_${randomUUID()}`;
    expect(await act(s.url, vera.accessToken, id, 'submit', submitKey)).toMatchObject({ status: 202, body: { status: WorkflowStatus.awaitingApproval } });
    await eventually(() => Promise.resolve(kantoorPhone.received.length === 1), 'push to the approver');
    // The submitter is not an approver of their own decision.
    expect(veraPhone.received).toHaveLength(0);
    // A replayed submit (same key) is the same event: no second push.
    expect((await act(s.url, vera.accessToken, id, 'submit', submitKey)).status).toBe(202);

    expect(
      (await act(s.url, kantoor.accessToken, id, 'return', `k_${randomUUID()}`, { remark: 'De motivering noemt De heer P. Bakker niet.', section: 'motivering' })).status,
    ).toBe(202);
    await eventually(() => Promise.resolve(veraPhone.received.length === 1), 'push to the author');

    const all = push.all();
    expect(all).toHaveLength(2);
    for (const p of all) {
      expect(p.vapidValid).toBe(true);
      expect(p.headers['content-encoding']).toBe('aes128gcm');
      expect(Number(p.headers.ttl)).toBeGreaterThan(0);
      expect(p.plaintext).toBe('{"kind":"notice"}');
      // Nothing personal: not in the body (encrypted or not), not in any header.
      const seen = [p.raw.toString('latin1'), p.plaintext ?? '', JSON.stringify(p.headers), p.path].join('\n');
      for (const secret of ['Bakker', 'Molenweg', '111222333', 'ZAAK-2026-0007', 'bijstandsuitkering', sampleDecision.motivering.slice(0, 20), id, 'veldwerker', 'motivering']) {
        expect(seen, secret).not.toContain(secret);
      }
    }
    expect(push.all()).toHaveLength(2);
  });

  it('[Y11] a document reaching the DMS wakes its author; a failed delivery also the office', async () => {
    const { s, push, dms } = await setup();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const veraPhone = push.newSubscriber();
    const kantoorPhone = push.newSubscriber();
    await subscribed(s.url, vera, veraPhone);
    await subscribed(s.url, kantoor, kantoorPhone);

    const { id, client } = await openDocument(s.url, vera.accessToken, randomUUID());
    clients.push(client);
    await writeDecision(client, id, vera, { maatwerk: false });
    dms.refuseAll = { retryable: false, reason: 'dms-rejected' };
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await s.outbox.runOnce();
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.deliveryFailed, 'delivery failed');
    await eventually(() => Promise.resolve(veraPhone.received.length === 1 && kantoorPhone.received.length === 1), 'failed: author and office');

    dms.refuseAll = null;
    expect((await act(s.url, kantoor.accessToken, id, 'retry-delivery')).status).toBe(202);
    await s.outbox.runOnce();
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'in DMS');
    await eventually(() => Promise.resolve(veraPhone.received.length === 2), 'in DMS: the author');
    // The office is not told about every archived letter.
    expect(kantoorPhone.received).toHaveLength(1);
    for (const p of push.all()) expect(p.plaintext).toBe('{"kind":"notice"}');
  });

  it('[Y13] a signed-out (revoked) device loses its subscription; an endpoint the push service calls gone (410) is deleted', async () => {
    const { s, push } = await setup();
    const vera = await login(s.url, 'veldwerker');
    const veraTablet = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const phone = push.newSubscriber();
    const tablet = push.newSubscriber();
    await subscribed(s.url, vera, phone);
    await subscribed(s.url, veraTablet, tablet);
    const deviceOf = (session: Session) => JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString()) as { dev: string };
    expect(await s.store.getPushSubscription(deviceOf(vera).dev)).not.toBeNull();

    const out = await fetch(`${s.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${vera.accessToken}` },
      body: JSON.stringify({ refreshToken: vera.refreshToken }),
    });
    expect(out.status).toBeLessThan(300);
    await eventually(async () => (await s.store.getPushSubscription(deviceOf(vera).dev)) === null, 'subscription of the signed-out device deleted');

    // The tablet's browser dropped its subscription: the push service answers 410.
    push.answerWith(tablet, 410);
    const { id, client } = await openDocument(s.url, veraTablet.accessToken, randomUUID());
    clients.push(client);
    await writeDecision(client, id, veraTablet, { maatwerk: true });
    expect((await act(s.url, veraTablet.accessToken, id, 'submit')).status).toBe(202);
    expect((await act(s.url, kantoor.accessToken, id, 'return', `k_${randomUUID()}`, { remark: 'Graag aanvullen.' })).status).toBe(202);
    await eventually(() => Promise.resolve(tablet.received.length === 1), 'push tried');
    await eventually(async () => (await s.store.getPushSubscription(deviceOf(veraTablet).dev)) === null, '410 deletes the subscription');
    expect(phone.received).toHaveLength(0);
  });
});
