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
