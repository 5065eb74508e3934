// Y12: which push services the server will send to. A subscription names a URL the server then
// POSTs to; accepting any URL would let a signed-in device make the server call into the
// municipality's own network (SSRF). PUSH_SERVICE_HOSTS lists the allowed hosts (a leading dot
// allows subdomains); the default is the browsers' own push services. PUSH_CONTACT is the VAPID
// `sub` a push service may write to about abuse.

export interface PushSettings {
  /** Host names; `.example.com` also allows its subdomains. */
  serviceHosts: readonly string[];
  /** Only for tests on loopback: also plain http. */
  allowHttp: boolean;
  /** `mailto:` or `https:` URL. */
  contact: string;
  /** How long one push request may take. */
  timeoutMs: number;
}

export const defaultPushSettings: PushSettings = {
  serviceHosts: [
    'fcm.googleapis.com',
    'updates.push.services.mozilla.com',
    '.notify.windows.com',
    'web.push.apple.com',
    '.push.apple.com',
  ],
  allowHttp: false,
  contact: 'mailto:beheer@gemeente.invalid',
  timeoutMs: 10_000,
};

export function readPushSettings(env: Record<string, string | undefined>): { ok: true; settings: PushSettings } | { ok: false; error: string } {
  const hosts = env.PUSH_SERVICE_HOSTS?.trim();
  const contact = env.PUSH_CONTACT?.trim() || defaultPushSettings.contact;
  if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(contact)) {
    return { ok: false, error: `PUSH_CONTACT must be a mailto: address or an https: URL, got "${contact}"` };
  }
  const serviceHosts = hosts ? hosts.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '') : defaultPushSettings.serviceHosts;
  if (serviceHosts.some((h) => !/^\.?[a-z0-9.-]+$/.test(h))) {
    return { ok: false, error: `PUSH_SERVICE_HOSTS must be host names separated by commas, got "${hosts}"` };
  }
  return { ok: true, settings: { ...defaultPushSettings, serviceHosts, contact } };
}

/** Y12: whether the server may send to this endpoint. */
export function allowedEndpoint(endpoint: string, settings: Pick<PushSettings, 'serviceHosts' | 'allowHttp'>): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && !(settings.allowHttp && url.protocol === 'http:')) return false;
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  return settings.serviceHosts.some((allowed) => (allowed.startsWith('.') ? host.endsWith(allowed) && host.length > allowed.length : host === allowed));
}
