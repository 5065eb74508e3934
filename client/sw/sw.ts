// The service worker: precaches the app shell and every lazy screen (Workbox injectManifest), so
// after one visit the app opens offline, deep links too (navigations fall back to index.html).
// /api/ and /sync/ are never cached: lists and letters live in IndexedDB, not in HTTP caches.
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Deep links (/document/…, /kantoor) are the app's routes; the server answers them with the
// shell too, but offline only this route can.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//, /^\/sync\//] }));

// The first install takes over the open page at once, so its lazy screens load from the cache
// when the network drops before a reload. An update waits for the user (registerType 'prompt').
clientsClaim();

self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING') {
    void self.skipWaiting();
  }
});

// Y15: a push only says "there is news" ({kind: 'notice'}: no title, name or zaak ever travels
// through the push service). The notification is as neutral; the app shows what happened from
// its own lists once the user opens it (and unlocks it).
const NOTICE_TITLE = 'Keukentafel';
const NOTICE_BODY = 'Er is een nieuwe melding. Open de app om te zien wat er is.';

self.addEventListener('push', (event) => {
  event.waitUntil(
    self.registration.showNotification(NOTICE_TITLE, {
      body: NOTICE_BODY,
      tag: 'keukentafel-notice',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: '/meldingen' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    (async () => {
      const url = new URL('/meldingen', self.location.origin).href;
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((c) => new URL(c.url).origin === self.location.origin);
      if (open !== undefined) {
        // The app routes itself: a navigation would reload it, and a cold start is a locked one.
        open.postMessage({ type: 'open-notices' });
        await open.focus();
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
