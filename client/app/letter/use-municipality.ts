// The municipality's contact details for the on-screen letterhead (P6), the same the server prints
// in the PDF (MUNICIPALITY_ADDRESS …, served at /api/municipality). Kept in the Cache API like the
// logo (use-logo.ts), so an offline preview shows the same contact block; the cached copy shows
// at once and the network's answer replaces it. Any failure just means no contact lines.
import { useEffect, useState } from 'preact/hooks';
import { MUNICIPALITY_INFO_PATH, MunicipalityContact } from '../../../shared/protocol/municipality';

const CACHE_NAME = 'kt-municipality';

async function openCache(): Promise<Cache | null> {
  if (typeof caches === 'undefined') return null;
  return caches.open(CACHE_NAME).catch(() => null);
}

async function contactOf(response: Response | undefined): Promise<MunicipalityContact | null> {
  if (response === undefined || !response.ok) return null;
  const body: unknown = await response.json().catch(() => null);
  const contact = typeof body === 'object' && body !== null && 'contact' in body ? body.contact : null;
  const parsed = MunicipalityContact.safeParse(contact);
  return parsed.success ? parsed.data : null;
}

/** The contact details, or null until known (first use offline: none). */
export function useMunicipalityContact(): MunicipalityContact | null {
  const [contact, setContact] = useState<MunicipalityContact | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      const cache = await openCache();
      const cached = await contactOf(await cache?.match(MUNICIPALITY_INFO_PATH)).catch(() => null);
      if (live && cached !== null) setContact(cached);
      const response = await fetch(MUNICIPALITY_INFO_PATH, { cache: 'no-cache' }).catch(() => null);
      if (response === null || !response.ok) return;
      await cache?.put(MUNICIPALITY_INFO_PATH, response.clone()).catch(() => undefined);
      const fresh = await contactOf(response);
      if (live && fresh !== null) setContact(fresh);
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return contact;
}
