// The workbench offline: every file of the built page is fetched when the worker installs, and
// each request goes to the network first (so a newer build is seen at once) and to the cache
// only when the network fails. Requests outside the page's files (a service's API) pass through.
/* global FILES, VERSION */
const CACHE = `stagegate-workbench-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const scope = new URL('./', self.location).pathname;
  const relative = url.pathname.slice(scope.length);
  const ours = event.request.method === 'GET' && url.origin === self.location.origin
    && url.pathname.startsWith(scope) && FILES.includes(relative === '' ? './' : relative);
  if (!ours) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(event.request);
      if (response.ok) (await caches.open(CACHE)).put(event.request, response.clone());
      return response;
    } catch (error) {
      const cached = await caches.match(event.request, { ignoreSearch: true });
      if (cached) return cached;
      throw error;
    }
  })());
});
