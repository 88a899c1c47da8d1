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

  // Escape closes the phone menu too.
  document.addEventListener('keydown', function (ev) {
    var toggle = document.getElementById('nav-toggle');
    if (ev.key === 'Escape' && toggle && toggle.checked) toggle.checked = false;
  });
})();
