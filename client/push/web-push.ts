// Y14: Web Push on this device, only when the user asks for it (a button on /meldingen, never a
// prompt on load) and the browser allows it. Subscribing asks the browser's permission, subscribes
// with the server's VAPID key and tells the server this device's endpoint and keys; the server
// then wakes the device with a neutral "notice" (no content: the app shows the rest).
import { PushKeyAnswer, PushStatusAnswer, type PushSubscriptionBody } from '../../shared/protocol/push';

/** What the switch can say. */
export type PushState = 'unsupported' | 'denied' | 'off' | 'on';

/** The bits of a session the push calls need: an authorised fetch of `/api/*`. */
export type ApiFetch = (path: string, init?: RequestInit) => Promise<Response>;

export type PushResult = { ok: true; state: PushState } | { ok: false; reason: 'denied' | 'unsupported' | 'network' | 'refused' };

function supported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function bytesOf(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const sameKey = (a: ArrayBuffer | null | undefined, b: Uint8Array): boolean => {
  if (a === null || a === undefined || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
};

async function registration(): Promise<ServiceWorkerRegistration | null> {
  // No service worker (dev server, a browser that refused it): no push either. Never wait for ever.
  const ready = navigator.serviceWorker.ready;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000));
  return Promise.race([ready, timeout]);
}

/** This device's state: the browser's permission and subscription, and whether the server knows it. */
export async function pushState(api: ApiFetch): Promise<PushState> {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  const reg = await registration();
  if (reg === null) return 'unsupported';
  const sub = await reg.pushManager.getSubscription();
  if (sub === null || Notification.permission !== 'granted') return 'off';
  try {
    const res = await api('/api/push/subscription');
    const body = PushStatusAnswer.safeParse(await res.json());
    return body.success && body.data.subscribed ? 'on' : 'off';
  } catch {
    // Offline: the browser's subscription is the best we know.
    return 'on';
  }
}

/** Called from the button only: asks permission, subscribes, tells the server. */
export async function enablePush(api: ApiFetch): Promise<PushResult> {
  if (!supported()) return { ok: false, reason: 'unsupported' };
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return { ok: false, reason: 'denied' };
  const reg = await registration();
  if (reg === null) return { ok: false, reason: 'unsupported' };
  let key: Uint8Array<ArrayBuffer>;
  try {
    const answer = PushKeyAnswer.safeParse(await (await api('/api/push/key')).json());
    if (!answer.success) return { ok: false, reason: 'refused' };
    key = bytesOf(answer.data.publicKey);
  } catch {
    return { ok: false, reason: 'network' };
  }
  let sub = await reg.pushManager.getSubscription();
  // A subscription made for another key (the server's database was replaced) cannot be used.
  if (sub !== null && !sameKey(sub.options.applicationServerKey, key)) {
    await sub.unsubscribe().catch(() => false);
    sub = null;
  }
  try {
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch {
    return { ok: false, reason: 'refused' };
  }
  const json = sub.toJSON();
  const body: PushSubscriptionBody = { endpoint: sub.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } };
  try {
    const res = await api('/api/push/subscription', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) {
      await sub.unsubscribe().catch(() => false);
      return { ok: false, reason: 'refused' };
    }
  } catch {
    return { ok: false, reason: 'network' };
  }
  return { ok: true, state: 'on' };
}

/** Ends pushes to this device: the browser's subscription and the server's record. */
export async function disablePush(api: ApiFetch): Promise<PushResult> {
  if (!supported()) return { ok: false, reason: 'unsupported' };
  const reg = await registration();
  const sub = await reg?.pushManager.getSubscription();
  await sub?.unsubscribe().catch(() => false);
  try {
    const res = await api('/api/push/subscription', { method: 'DELETE' });
    if (!res.ok) return { ok: false, reason: 'refused' };
  } catch {
    return { ok: false, reason: 'network' };
  }
  return { ok: true, state: 'off' };
}
