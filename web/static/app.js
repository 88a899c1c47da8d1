// zhagen web UI: the few behaviours that need script. No inline script is
// used anywhere, so the pages work under "script-src 'self'". Everything
// here is an enhancement: without it forms and links still work.
(function () {
  'use strict';

  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;

    // <button data-confirm="…">: ask before a destructive submit.
    var c = t.closest('[data-confirm]');
    if (c && !window.confirm(c.getAttribute('data-confirm'))) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      return;
    }

    // <a data-back href="/">: go back when there is somewhere to go.
    var b = t.closest('a[data-back]');
    if (b && window.history.length > 1 && document.referrer.indexOf(location.origin) === 0) {
      ev.preventDefault();
      window.history.back();
      return;
    }

    // A click outside the opened phone menu closes it.
    var toggle = document.getElementById('nav-toggle');
    if (toggle && toggle.checked && t !== toggle && !t.closest('.sidebar') && !t.closest('.nav-btn')) {
      toggle.checked = false;
    }
  }, true);

  // <input type="file" data-max-bytes data-too-big>: refuse a file that is
  // too large before the form sends it; the server checks again.
  document.addEventListener('change', function (ev) {
    var t = ev.target;
    if (!(t instanceof HTMLInputElement) || t.type !== 'file' || !t.hasAttribute('data-max-bytes')) return;
    var field = t.closest('.field');
    var old = field && field.querySelector('.ferr-js');
    if (old) old.remove();
    var max = parseInt(t.getAttribute('data-max-bytes'), 10);
    if (!t.files || !t.files.length || !(t.files[0].size > max)) {
      if (field && !field.querySelector('.ferr')) field.classList.remove('has-error');
      return;
    }
    t.value = '';
    if (!field) return;
    var p = document.createElement('p');
    p.className = 'ferr ferr-js';
    p.setAttribute('role', 'alert');
    p.textContent = t.getAttribute('data-too-big');
    var row = t.closest('.input-row') || t;
    row.insertAdjacentElement('afterend', p);
    field.classList.add('has-error');
  });

  // <select class="reply-pick" data-fill="id">: a reply template (常用回复)
  // fills the textarea; text already typed is kept and the template
  // added after it.
  document.addEventListener('change', function (ev) {
    var t = ev.target;
    if (!(t instanceof HTMLSelectElement) || !t.classList.contains('reply-pick') || !t.value) return;
    var area = document.getElementById(t.getAttribute('data-fill'));
    if (!area) return;
    area.value = area.value.trim() ? area.value.replace(/\s+$/, '') + '\n' + t.value : t.value;
    t.value = '';
    area.focus();
  });

  // A field's error goes once the field is changed: the message was about
  // the old value. (The server checks again on submit.)
  function clearFieldError(ev) {
    var t = ev.target;
    if (!(t instanceof Element) || !t.closest || t.type === 'file') return;
    var field = t.closest('.field.has-error');
    if (!field) return;
    field.classList.remove('has-error');
    field.querySelectorAll('.ferr').forEach(function (p) { p.remove(); });
  }
  document.addEventListener('input', clearFieldError);
  document.addEventListener('change', clearFieldError);

  // Tables become cards on a phone (app.css, below 640px): each cell is
  // labelled with its column's heading, for every table.grid at once.
  function labelCells(root) {
    (root || document).querySelectorAll('table.grid').forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent.trim(); });
      if (!heads.length) return;
      table.querySelectorAll('tbody tr, tfoot tr').forEach(function (tr) {
        var i = 0;
        Array.prototype.forEach.call(tr.children, function (td) {
          if (!td.hasAttribute('data-label') && heads[i]) td.setAttribute('data-label', heads[i]);
          i += td.colSpan || 1;
        });
      });
    });
  }
  labelCells();
  document.addEventListener('htmx:afterSwap', function (ev) { labelCells(ev.target); });

  // The service worker keeps the pages of the menu (and the enterprises
  // linked from the page) for use without signal; offline visits are
  // offline.js's. Logging out forgets the kept pages.
  var sw = document.body.getAttribute('data-sw');
  if (sw && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register(sw).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      var last = +(sessionStorage.getItem('zhagen-precache') || 0);
      if (!reg.active || Date.now() - last < 10 * 60 * 1000 || !document.querySelector('.sidebar a[href="/visits/new"]')) return;
      sessionStorage.setItem('zhagen-precache', String(Date.now()));
      var urls = [];
      document.querySelectorAll('.sidebar a[href^="/"], a[data-offline]').forEach(function (a) { urls.push(a.getAttribute('href')); });
      document.querySelectorAll('script[src^="/static/"], link[rel=stylesheet][href^="/static/"]').forEach(function (el) { urls.push(el.getAttribute('src') || el.getAttribute('href')); });
      var off = document.body.getAttribute('data-offline-js');
      if (off) urls.push(off);
      reg.active.postMessage({ type: 'precache', urls: urls.slice(0, 60) });
    }).catch(function () { /* no worker: the site works online */ });
  }
  document.addEventListener('submit', function (ev) {
    if (!(ev.target instanceof Element) || !ev.target.hasAttribute('data-clear-offline')) return;
    sessionStorage.removeItem('zhagen-precache');
    if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: 'forget' });
  });

  // Escape closes the phone menu too.
  document.addEventListener('keydown', function (ev) {
    var toggle = document.getElementById('nav-toggle');
    if (ev.key === 'Escape' && toggle && toggle.checked) toggle.checked = false;
  });
})();
