// zhagen service worker (served at /sw.js; VERSION is prepended by the
// server). Pages are fetched from the network first and the copy kept,
// so a cadre without signal still opens the pages of their menu, their
// linked enterprises and the visit form; static assets come from the
// cache first (their URLs carry a content hash). Nothing but GET
// navigations and static files is touched: posts, htmx swaps and
// downloads go to the network as always. Visits themselves wait in
// IndexedDB (offline.js), not here.
'use strict';
var PAGES = 'zhagen-pages';
var STATIC = 'zhagen-static-' + VERSION;

self.addEventListener('install', function () { self.skipWaiting(); });

self.addEventListener('activate', function (ev) {
  ev.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf('zhagen-static-') === 0 && k !== STATIC; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// keepable: a whole page of the logged-in user, not the login page.
function keepable(res) {
  if (!res || !res.ok || res.redirected || res.type !== 'basic') return false;
  var path = new URL(res.url).pathname;
  return (res.headers.get('Content-Type') || '').indexOf('text/html') === 0 && path !== '/login';
}

function offlinePage() {
  var html = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>离线</title></head><body style="font-family:sans-serif;padding:24px;line-height:1.6">' +
    '<h1 style="font-size:20px">当前无网络，此页面未保存在本机</h1>' +
    '<p>可以继续<a href="/visits/new">记录走访</a>，联网后自动提交；<a href="/visits/sync">查看待同步走访</a>。</p>' +
    '<p lang="en">You are offline and this page is not kept on this device.</p></body></html>';
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

function fromNetwork(req) {
  return fetch(req).then(function (res) {
    if (keepable(res)) {
      var copy = res.clone();
      caches.open(PAGES).then(function (c) { return c.put(req.url, copy); });
    }
    return res;
  }).catch(function () {
    return caches.open(PAGES).then(function (c) {
      return c.match(req.url).then(function (hit) { return hit || offlinePage(); });
    });
  });
}

function fromCache(req) {
  return caches.open(STATIC).then(function (c) {
    return c.match(req).then(function (hit) {
      return hit || fetch(req).then(function (res) {
        if (res.ok) c.put(req, res.clone());
        return res;
      });
    });
  });
}

self.addEventListener('fetch', function (ev) {
  var req = ev.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf('/static/') === 0) {
    ev.respondWith(fromCache(req));
  } else if (req.mode === 'navigate' && !req.headers.get('HX-Request')) {
    ev.respondWith(fromNetwork(req));
  }
});

// precache keeps the pages the page named (its menu, linked enterprises,
// its scripts); forget drops every kept page (logout).
self.addEventListener('message', function (ev) {
  var m = ev.data || {};
  if (m.type === 'precache' && Array.isArray(m.urls)) {
    ev.waitUntil(Promise.all(m.urls.map(function (u) {
      var url = new URL(u, self.location.origin);
      if (url.origin !== self.location.origin) return null;
      var isStatic = url.pathname.indexOf('/static/') === 0;
      return fetch(url.href, { credentials: 'same-origin' }).then(function (res) {
        if (isStatic && res.ok) return caches.open(STATIC).then(function (c) { return c.put(url.href, res); });
        if (keepable(res)) return caches.open(PAGES).then(function (c) { return c.put(url.href, res); });
        return null;
      }).catch(function () { return null; });
    })));
  } else if (m.type === 'forget') {
    ev.waitUntil(caches.delete(PAGES));
  }
});
