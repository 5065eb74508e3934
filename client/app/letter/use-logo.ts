// The municipality's logo for the on-screen letter, the same file the server prints in the PDF's
// letterhead (MUNICIPALITY_LOGO, served at /api/municipality/logo). The device keeps a copy in
// the Cache API so the preview shows it offline too; the cached copy shows at once and the
// network's answer replaces it (204: the server has none any more, so the copy is dropped).
// Any failure (no Cache API, offline on first use, a broken file) just means no logo.
import { useEffect, useState } from 'preact/hooks';

export const LOGO_URL = '/api/municipality/logo';
const CACHE_NAME = 'kt-municipality';

async function openCache(): Promise<Cache | null> {
  if (typeof caches === 'undefined') return null;
  return caches.open(CACHE_NAME).catch(() => null);
}

async function cachedLogo(cache: Cache | null): Promise<Blob | null> {
  const hit = await cache?.match(LOGO_URL);
  return hit === undefined ? null : hit.blob();
}

/** 'none': the server has no logo; null: no answer (offline, error), keep what we have. */
async function fetchedLogo(cache: Cache | null): Promise<Blob | 'none' | null> {
  try {
    const response = await fetch(LOGO_URL, { cache: 'no-cache' });
    if (response.status === 204 || response.status === 404) {
      await cache?.delete(LOGO_URL);
      return 'none';
    }
    if (!response.ok || !/^image\/(png|jpeg)\b/.test(response.headers.get('content-type') ?? '')) return null;
    await cache?.put(LOGO_URL, response.clone()).catch(() => undefined);
    return await response.blob();
  } catch {
    return null;
  }
}

/** An object URL of the logo, or null while there is none. */
export function useMunicipalityLogo(): string | null {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let current: string | null = null;
    const show = (blob: Blob | null): void => {
      if (!live) return;
      if (current !== null) URL.revokeObjectURL(current);
      current = blob === null ? null : URL.createObjectURL(blob);
      setSrc(current);
    };
    void (async () => {
      const cache = await openCache();
      const cached = await cachedLogo(cache).catch(() => null);
      if (cached !== null) show(cached);
      const fresh = await fetchedLogo(cache);
      if (fresh === 'none') show(null);
      else if (fresh !== null) show(fresh);
    })().catch(() => undefined);
    return () => {
      live = false;
      if (current !== null) URL.revokeObjectURL(current);
    };
  }, []);
  return src;
}
