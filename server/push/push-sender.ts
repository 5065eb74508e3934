// Y10, Y13: sends one neutral message to every subscribed device of some users. The payload is
// `{"kind":"notice"}` and nothing else: no title, name, zaak or BSN ever passes the push service;
// the app shows what happened from its own (encrypted) lists once opened. A subscription whose
// device was revoked or wiped is deleted instead of used; one the push service calls gone (404,
// 410) is deleted too. Pushes are best effort: the in-app notice list is the truth.
import type { PushStore, PushSubscriptionRow, Store } from '../store/types';
import { allowedEndpoint, type PushSettings } from './config';
import { encryptPushPayload } from './encrypt';
import { vapidAuthorization, type VapidKeys } from './vapid';

/** The whole payload, always. */
export const PUSH_PAYLOAD = JSON.stringify({ kind: 'notice' });

export type PushOutcome = 'sent' | 'gone' | 'revoked' | 'refused' | 'failed';

export interface PushSenderDeps {
  store: PushStore & Pick<Store, 'getDevice'>;
  vapid: VapidKeys;
  settings: PushSettings;
  now: () => number;
  fetchImpl?: typeof fetch;
  onError: (error: unknown, context: string) => void;
}

export interface PushSender {
  /** Sends to every subscribed, active device of these users; resolves when all have answered. */
  notifyUsers(userIds: readonly string[]): Promise<PushOutcome[]>;
}

export function createPushSender(deps: PushSenderDeps): PushSender {
  const fetchImpl = deps.fetchImpl ?? globalThis.fetch;
  const payload = new TextEncoder().encode(PUSH_PAYLOAD);

  async function sendOne(sub: PushSubscriptionRow): Promise<PushOutcome> {
    const device = await deps.store.getDevice(sub.deviceId);
    if (device === null || device.revokedAt !== null) {
      await deps.store.deletePushSubscription(sub.deviceId);
      return 'revoked';
    }
    // Checked again at send time: the allowed hosts may have changed since it was stored.
    if (!allowedEndpoint(sub.endpoint, deps.settings)) return 'refused';
    const body = encryptPushPayload(payload, { p256dh: Buffer.from(sub.p256dh, 'base64url'), auth: Buffer.from(sub.auth, 'base64url') });
    const res = await fetchImpl(sub.endpoint, {
      method: 'POST',
      headers: {
        authorization: await vapidAuthorization(deps.vapid, sub.endpoint, deps.settings.contact, deps.now()),
        'content-encoding': 'aes128gcm',
        'content-type': 'application/octet-stream',
        ttl: String(24 * 3600),
        urgency: 'normal',
        // A newer notice replaces one the device has not fetched yet: one wake-up is enough.
        topic: 'notice',
      },
      body: new Uint8Array(body),
      redirect: 'error',
      signal: AbortSignal.timeout(deps.settings.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 404 || res.status === 410) {
      await deps.store.deletePushEndpoint(sub.endpoint);
      return 'gone';
    }
    return res.ok ? 'sent' : 'failed';
  }

  return {
    async notifyUsers(userIds) {
      if (userIds.length === 0) return [];
      const subs = await deps.store.listPushSubscriptions(userIds);
      return Promise.all(
        subs.map((sub) =>
          sendOne(sub).catch((error: unknown) => {
            // The endpoint's host only: it names a push service, never a person.
            deps.onError(error, `push to ${new URL(sub.endpoint).host}`);
            return 'failed' as const;
          }),
        ),
      );
    },
  };
}
