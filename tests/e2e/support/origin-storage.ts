// K17: reads everything an origin keeps in IndexedDB and Cache Storage through the DevTools
// protocol (what a copy of the browser profile holds, without guessing at LevelDB's files), and
// searches it for known plaintext in every form a leak would take: UTF-8, UTF-16LE and base64
// (standard and url-safe, at each of the three byte alignments).
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

/** One stored thing: where it is and its bytes. */
export interface StoredItem {
  where: string;
  bytes: Buffer;
}

// Runs in the page on each stored value: every leaf as bytes (strings as UTF-8, binary as is,
// Blobs read), so nothing hides inside a nested object or a typed array's view.
const SERIALIZE = `async function () {
  const out = [];
  const seen = new Set();
  const toB64 = (u8) => { let s = ''; for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]); return btoa(s); };
  const utf8 = (s) => toB64(new TextEncoder().encode(s));
  async function walk(v) {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') { out.push(utf8(v)); return; }
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') { out.push(utf8(String(v))); return; }
    if (v instanceof ArrayBuffer) { out.push(toB64(new Uint8Array(v))); return; }
    if (ArrayBuffer.isView(v)) { out.push(toB64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))); return; }
    if (typeof Blob !== 'undefined' && v instanceof Blob) { out.push(toB64(new Uint8Array(await v.arrayBuffer()))); return; }
    if (typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Date) { out.push(utf8(v.toISOString())); return; }
    if (v instanceof Map) { for (const [k, x] of v) { await walk(k); await walk(x); } return; }
    if (v instanceof Set) { for (const x of v) await walk(x); return; }
    for (const k of Object.keys(v)) { out.push(utf8(k)); await walk(v[k]); }
  }
  await walk(this);
  return out;
}`;

async function remoteBytes(cdp: CDPSession, remote: { objectId?: string; value?: unknown; type: string }): Promise<Buffer[]> {
  if (remote.objectId === undefined) return [Buffer.from(String(remote.value ?? ''), 'utf8')];
  const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: remote.objectId, functionDeclaration: SERIALIZE, returnByValue: true, awaitPromise: true });
  return (result.value as string[]).map((b64) => Buffer.from(b64, 'base64'));
}

/** Every IndexedDB record (keys and values) and every Cache Storage entry (URL and body) of the page's origin. */
export async function readOriginStorage(context: BrowserContext, page: Page): Promise<StoredItem[]> {
  const securityOrigin = new URL(page.url()).origin;
  const cdp = await context.newCDPSession(page);
  const items: StoredItem[] = [];
  try {
    await cdp.send('Runtime.enable');
    await cdp.send('IndexedDB.enable');
    const { databaseNames } = await cdp.send('IndexedDB.requestDatabaseNames', { securityOrigin });
    for (const databaseName of databaseNames) {
      const { databaseWithObjectStores } = await cdp.send('IndexedDB.requestDatabase', { securityOrigin, databaseName });
      for (const store of databaseWithObjectStores.objectStores) {
        for (let skipCount = 0; ; ) {
          const { objectStoreDataEntries, hasMore } = await cdp.send('IndexedDB.requestData', {
            securityOrigin,
            databaseName,
            objectStoreName: store.name,
            skipCount,
            pageSize: 50,
          });
          for (const [i, entry] of objectStoreDataEntries.entries()) {
            const where = `indexeddb ${databaseName}/${store.name}#${skipCount + i}`;
            for (const bytes of await remoteBytes(cdp, entry.primaryKey)) items.push({ where: `${where} key`, bytes });
            for (const bytes of await remoteBytes(cdp, entry.value)) items.push({ where: `${where} value`, bytes });
          }
          skipCount += objectStoreDataEntries.length;
          if (!hasMore || objectStoreDataEntries.length === 0) break;
        }
      }
    }
    const { caches } = await cdp.send('CacheStorage.requestCacheNames', { securityOrigin });
    for (const cache of caches) {
      for (let skipCount = 0; ; ) {
        const { cacheDataEntries, returnCount } = await cdp.send('CacheStorage.requestEntries', { cacheId: cache.cacheId, skipCount, pageSize: 50 });
        for (const entry of cacheDataEntries) {
          const where = `cache ${cache.cacheName} ${entry.requestURL}`;
          items.push({ where: `${where} url`, bytes: Buffer.from(entry.requestURL, 'utf8') });
          const { response } = await cdp.send('CacheStorage.requestCachedResponse', { cacheId: cache.cacheId, requestURL: entry.requestURL, requestHeaders: entry.requestHeaders });
          items.push({ where: `${where} body`, bytes: Buffer.from(response.body, 'base64') });
        }
        skipCount += cacheDataEntries.length;
        if (skipCount >= returnCount || cacheDataEntries.length === 0) break;
      }
    }
  } finally {
    await cdp.detach();
  }
  return items;
}

/** The byte patterns a value leaves behind when stored in the clear in some encoding. */
export function leakPatterns(value: string): { form: string; bytes: Buffer }[] {
  const patterns: { form: string; bytes: Buffer }[] = [];
  for (const [encoding, raw] of [
    ['utf-8', Buffer.from(value, 'utf8')],
    ['utf-16le', Buffer.from(value, 'utf16le')],
  ] as const) {
    patterns.push({ form: encoding, bytes: raw });
    // base64 of the value at each alignment inside a longer payload: the characters that depend
    // on the value alone (drop the first group's shared characters and the trailing partial one).
    for (let shift = 0; shift < 3; shift++) {
      const b64 = Buffer.concat([Buffer.alloc(shift), raw]).toString('base64');
      const start = shift === 0 ? 0 : Math.ceil((shift * 8) / 6);
      const usable = Math.floor(((shift + raw.length) * 8) / 6);
      const core = b64.slice(start, usable);
      patterns.push({ form: `base64(${encoding}, +${shift})`, bytes: Buffer.from(core, 'ascii') });
      patterns.push({ form: `base64url(${encoding}, +${shift})`, bytes: Buffer.from(core.replace(/\+/g, '-').replace(/\//g, '_'), 'ascii') });
    }
  }
  return patterns;
}

/** Where each value appears in the items, in which form: empty when nothing leaks. */
export function findLeaks(items: readonly StoredItem[], values: readonly string[]): string[] {
  const found: string[] = [];
  for (const value of values) {
    for (const pattern of leakPatterns(value)) {
      for (const item of items) {
        if (item.bytes.includes(pattern.bytes)) found.push(`${JSON.stringify(value)} as ${pattern.form} in ${item.where}`);
      }
    }
  }
  return found;
}
