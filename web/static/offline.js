// zhagen offline visits: the new-visit form and the 待同步走访 page.
//
// A visit is kept in the phone's IndexedDB ("zhagen-offline", store
// "queue") from the moment it is saved until the server has it, so no
// signal in a workshop loses nothing. Each visit carries the idempotency
// key its form was drawn with: a retry after a dropped connection is
// answered with the visit already written, never a second one. A visit
// the server refuses (say, the enterprise's link ended meanwhile) stays in
// the queue, marked failed with the server's reason, until the cadre
// retries or deletes it. The form being filled in is kept too ("drafts"),
// photos included, so a reload or a closed tab loses nothing either.
// Photos are resized here (long side at most 2000 px) before they are kept.
(function () {
  'use strict';

  var MAX_SIDE = 2000, QUALITY = 0.85;
  var user = document.body.getAttribute('data-user') || '';
  var form = document.getElementById('visit-form');
  var syncPanel = document.getElementById('vs-sync');
  var msgs = (form || syncPanel || document.body);
  function msg(name, vars) {
    var s = msgs.getAttribute('data-msg-' + name) || (syncPanel && syncPanel.getAttribute('data-msg-' + name)) || '';
    Object.keys(vars || {}).forEach(function (k) { s = s.split('{' + k + '}').join(vars[k]); });
    return s;
  }

  // ---------- IndexedDB ----------
  var dbp = null;
  function db() {
    if (!dbp) {
      dbp = new Promise(function (resolve, reject) {
        var req = indexedDB.open('zhagen-offline', 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore('queue', { keyPath: 'key' });
          req.result.createObjectStore('drafts', { keyPath: 'id' });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbp;
  }
  function store(name, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var tx = d.transaction(name, mode);
        var out = fn(tx.objectStore(name));
        tx.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function getAll(name) { return store(name, 'readonly', function (s) { return s.getAll(); }); }
  function put(name, v) { return store(name, 'readwrite', function (s) { s.put(v); }); }
  function del(name, k) { return store(name, 'readwrite', function (s) { s.delete(k); }); }
  function get(name, k) { return store(name, 'readonly', function (s) { return s.get(k); }); }
  function mine() {
    return getAll('queue').then(function (all) {
      return all.filter(function (r) { return r.user === user; })
        .sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }

  // ---------- progress and state ----------
  var bar = document.getElementById('vs-progress');
  var state = document.getElementById('vs-sync-state');
  function progress(pct) {
    if (!bar) return;
    bar.hidden = pct === null;
    if (pct !== null) bar.value = Math.max(0, Math.min(100, pct));
  }
  function say(text) { if (state) state.textContent = text || ''; }

  // ---------- sending ----------
  // send posts one queued visit; it resolves to the server's answer, or
  // {network: true} when the connection failed (the visit keeps waiting).
  function send(rec) {
    return new Promise(function (resolve) {
      var fd = new FormData();
      rec.fields.forEach(function (kv) { fd.append(kv[0], kv[1]); });
      fd.set('idempotency_key', rec.key);
      (rec.photos || []).forEach(function (p) { fd.append('photo', p.blob, p.name); });
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/visits');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.timeout = 120000;
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) progress(e.loaded * 100 / e.total); };
      xhr.onload = function () {
        progress(null);
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (!body) { // the login page: the session ended; kept until the cadre logs in again
          resolve({ network: true, error: xhr.status + '' });
          return;
        }
        body.status = xhr.status;
        resolve(body);
      };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { progress(null); resolve({ network: true }); };
      progress(0);
      xhr.send(fd);
    });
  }

  // deliver sends rec and files the outcome: done (removed from the
  // queue), waiting (no connection, server busy) or failed (refused, with
  // the reason, kept for the cadre).
  function deliver(rec) {
    return send(rec).then(function (res) {
      if (res.status === 200 && res.id) {
        return del('queue', rec.key).then(function () { return { done: true, url: res.url, res: res }; });
      }
      if (res.network || res.status >= 500) {
        rec.status = 'waiting';
        rec.error = res.network ? '' : res.error || '';
      } else {
        rec.status = 'failed';
        rec.error = res.network ? '' : res.error || '';
        rec.fieldErrors = res.fields || null;
      }
      rec.tries = (rec.tries || 0) + 1;
      return put('queue', rec).then(function () { return { done: false, rec: rec, res: res }; });
    });
  }

  var syncing = false;
  // syncAll sends every waiting visit of this user, one at a time.
  function syncAll(includeFailed) {
    if (syncing) return Promise.resolve();
    syncing = true;
    var sent = 0;
    return mine().then(function (list) {
      var todo = list.filter(function (r) { return r.status === 'waiting' || includeFailed; });
      return todo.reduce(function (p, rec) {
        return p.then(function () {
          return deliver(rec).then(function (out) { if (out.done) sent++; });
        });
      }, Promise.resolve());
    }).then(function () {
      syncing = false;
      if (sent && syncPanel) say(msg('done', { n: sent }));
      render();
    }, function () { syncing = false; });
  }

  // ---------- the sync page ----------
  function render() {
    if (!syncPanel) return;
    var net = document.getElementById('vs-net');
    net.textContent = navigator.onLine ? msg('online') : msg('offline');
    net.className = 'tag ' + (navigator.onLine ? 'tag-green' : 'tag-orange');
    mine().then(function (list) {
      var ul = document.getElementById('vs-sync-list');
      ul.textContent = '';
      document.getElementById('vs-sync-empty').hidden = list.length > 0;
      list.forEach(function (r) {
        var li = document.createElement('li');
        li.className = 'sync-item sync-' + r.status;
        li.setAttribute('data-key', r.key);
        var head = document.createElement('div');
        head.className = 'sync-head';
        var tag = document.createElement('span');
        tag.className = 'tag ' + (r.status === 'failed' ? 'tag-red' : 'tag-orange');
        tag.textContent = r.status === 'failed' ? msg('failed') : msg('waiting');
        var name = document.createElement('b');
        name.textContent = r.enterprise || '';
        head.appendChild(tag);
        head.appendChild(name);
        li.appendChild(head);
        var meta = document.createElement('div');
        meta.className = 'muted small';
        meta.textContent = [r.date, r.topics, msg('photos', { n: (r.photos || []).length })].filter(Boolean).join(' · ');
        li.appendChild(meta);
        if (r.error) {
          var why = document.createElement('p');
          why.className = 'sync-error';
          why.setAttribute('role', 'alert');
          var fe = r.fieldErrors ? Object.keys(r.fieldErrors).map(function (k) { return r.fieldErrors[k]; }).join('；') : '';
          why.textContent = r.error + (fe ? '：' + fe : '');
          li.appendChild(why);
        }
        var acts = document.createElement('div');
        acts.className = 'sync-actions';
        var retry = document.createElement('button');
        retry.type = 'button';
        retry.className = 'btn btn-sm btn-primary';
        retry.setAttribute('data-retry', r.key);
        retry.textContent = msg('retry');
        var drop = document.createElement('button');
        drop.type = 'button';
        drop.className = 'btn btn-sm btn-danger';
        drop.setAttribute('data-discard', r.key);
        drop.textContent = msg('discard');
        acts.appendChild(retry);
        acts.appendChild(drop);
        li.appendChild(acts);
        ul.appendChild(li);
      });
    });
  }
  if (syncPanel) {
    syncPanel.addEventListener('click', function (ev) {
      var t = ev.target instanceof Element ? ev.target : null;
      var retry = t && t.closest('[data-retry]');
      var drop = t && t.closest('[data-discard]');
      if (retry) {
        get('queue', retry.getAttribute('data-retry')).then(function (rec) {
          if (!rec) return;
          say(msg('sending'));
          deliver(rec).then(function () { say(''); render(); });
        });
      } else if (drop && window.confirm(msg('confirm'))) {
        del('queue', drop.getAttribute('data-discard')).then(render);
      }
    });
  }

  // ---------- the form ----------
  var photos = []; // {name, blob, thumb}
  var keyInput = form && form.querySelector('input[name=idempotency_key]');
  var draftId = 'new:' + user;

  function fieldsOf() {
    var out = [];
    new FormData(form).forEach(function (v, k) {
      if (typeof v === 'string') out.push([k, v]);
    });
    return out;
  }
  var submitting = false; // from saving until the form is fresh or back to a draft
  function saveDraft() {
    if (!form || submitting) return Promise.resolve();
    return put('drafts', { id: draftId, key: keyInput.value, fields: fieldsOf(), photos: photos.map(function (p) { return { name: p.name, blob: p.blob, thumb: p.thumb }; }) });
  }
  var saveTimer = 0;
  function saveSoon() { clearTimeout(saveTimer); saveTimer = setTimeout(saveDraft, 300); }

  function restore(d) {
    var byName = {};
    d.fields.forEach(function (kv) { (byName[kv[0]] = byName[kv[0]] || []).push(kv[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'file' || !(el.name in byName)) {
        if (el.type === 'checkbox' && el.name) el.checked = false;
        return;
      }
      if (el.type === 'checkbox' || el.type === 'radio') el.checked = byName[el.name].indexOf(el.value) >= 0;
      else el.value = byName[el.name][0];
    });
    keyInput.value = d.key || keyInput.value;
    photos = d.photos || [];
    showPhotos();
    showCheckIn();
  }

  function showPhotos() {
    var box = document.getElementById('vs-photos');
    if (!box) return;
    box.textContent = '';
    photos.forEach(function (p, i) {
      var fig = document.createElement('figure');
      fig.className = 'photo-thumb';
      var img = document.createElement('img');
      img.src = p.thumb;
      img.alt = p.name;
      var x = document.createElement('button');
      x.type = 'button';
      x.className = 'photo-remove';
      x.setAttribute('aria-label', '×');
      x.textContent = '×';
      x.addEventListener('click', function () { photos.splice(i, 1); showPhotos(); saveDraft(); });
      fig.appendChild(img);
      fig.appendChild(x);
      box.appendChild(fig);
    });
  }

  // resize draws the image on a canvas with its long side at most
  // MAX_SIDE and returns a JPEG blob and a small data: thumbnail.
  function resize(file) {
    return new Promise(function (resolve, reject) {
      var img = new Image();
      var reader = new FileReader();
      reader.onload = function () { img.src = reader.result; };
      reader.onerror = function () { reject(reader.error); };
      img.onerror = function () { reject(new Error('not an image')); };
      img.onload = function () {
        var w = img.naturalWidth, h = img.naturalHeight, s = Math.min(1, MAX_SIDE / Math.max(w, h));
        var c = document.createElement('canvas');
        c.width = Math.max(1, Math.round(w * s));
        c.height = Math.max(1, Math.round(h * s));
        c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
        var t = document.createElement('canvas'), ts = Math.min(1, 160 / Math.max(w, h));
        t.width = Math.max(1, Math.round(w * ts));
        t.height = Math.max(1, Math.round(h * ts));
        t.getContext('2d').drawImage(img, 0, 0, t.width, t.height);
        c.toBlob(function (blob) {
          if (!blob) { reject(new Error('encode')); return; }
          resolve({ blob: blob, thumb: t.toDataURL('image/jpeg', 0.7), width: c.width, height: c.height });
        }, 'image/jpeg', QUALITY);
      };
      reader.readAsDataURL(file);
    });
  }

  function addPhotos(input) {
    var files = Array.prototype.slice.call(input.files || []);
    input.value = ''; // the resized copies are sent, not the originals
    var n = files.length, done = 0;
    progress(0);
    return files.reduce(function (p, f) {
      return p.then(function () {
        say(msg('resize', { i: done + 1, n: n }));
        return resize(f).then(function (out) {
          var next = photos.reduce(function (m, q) { var k = parseInt(q.name.split('-').pop(), 10); return Math.max(m, k || 0); }, 0) + 1;
          photos.push({ name: 'photo-' + keyInput.value.slice(0, 8) + '-' + next + '.jpg', blob: out.blob, thumb: out.thumb, width: out.width, height: out.height });
        }, function () { /* not an image: skipped */ }).then(function () {
          done++;
          progress(done * 100 / n);
        });
      });
    }, Promise.resolve()).then(function () {
      progress(null);
      say('');
      showPhotos();
      return saveDraft();
    });
  }

  // ---------- check-in ----------
  function showCheckIn() {
    var lat = form.elements.checkin_lat.value, lng = form.elements.checkin_long.value;
    var out = document.getElementById('vs-checkin-text');
    if (lat && lng && out) {
      var acc = form.elements.checkin_acc.value;
      out.textContent = msg('gps-ok', { pos: (+lat).toFixed(5) + ', ' + (+lng).toFixed(5) + (acc ? ' ±' + Math.round(+acc) + ' m' : '') });
    }
  }
  function checkIn() {
    var out = document.getElementById('vs-checkin-text');
    if (!navigator.geolocation) { out.textContent = msg('gps-none'); return; }
    out.textContent = msg('gps-wait');
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.checkin_lat.value = pos.coords.latitude;
      form.elements.checkin_long.value = pos.coords.longitude;
      form.elements.checkin_acc.value = Math.round(pos.coords.accuracy || 0);
      form.elements.checkin_at.value = new Date(pos.timestamp || Date.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      showCheckIn();
      saveDraft();
    }, function () { out.textContent = msg('gps-none'); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  // ---------- required fields, flagged all at once ----------
  function flag(el, text) {
    var field = el.closest('.field');
    if (!field) return;
    field.classList.add('has-error');
    if (!field.querySelector('.ferr')) {
      var p = document.createElement('p');
      p.className = 'ferr ferr-js';
      p.setAttribute('role', 'alert');
      p.textContent = text;
      field.appendChild(p);
    }
  }
  function missing() {
    var n = 0, logged = form.querySelector('input[name=status]:checked');
    logged = !logged || logged.value === 'logged';
    Array.prototype.forEach.call(form.querySelectorAll('[required], input[name=topics]'), function (el) {
      if (el.name === 'topics' && !logged) return;
      if (!String(el.value || '').trim()) {
        var label = form.querySelector('label[for="' + el.id + '"]');
        flag(el, msg('required', { f: label ? label.textContent.trim() : el.name }));
        n++;
      }
    });
    return n;
  }
  function showServerErrors(fields) {
    Object.keys(fields || {}).forEach(function (k) {
      var el = form.elements[k];
      if (el && el.closest) flag(el, fields[k]);
      else if (el && el[0]) flag(el[0], fields[k]);
    });
  }

  function enterpriseName() {
    var sel = form.elements.enterprise_id;
    return sel && sel.selectedOptions && sel.selectedOptions[0] ? sel.selectedOptions[0].textContent.split(' · ')[0] : '';
  }

  function submit(ev) {
    ev.preventDefault();
    var n = missing();
    if (n) {
      say(msg('missing', { n: n }));
      var first = form.querySelector('.has-error input, .has-error select, .has-error textarea');
      if (first) first.focus();
      return;
    }
    var fields = fieldsOf();
    var rec = {
      key: keyInput.value, user: user, fields: fields, photos: photos, status: 'waiting', error: '',
      enterprise: enterpriseName(), date: form.elements.date.value, topics: form.elements.topics.value,
      created: new Date().toISOString(), tries: 0
    };
    var button = form.querySelector('button[type=submit]');
    button.disabled = true;
    clearTimeout(saveTimer); // the draft becomes the queued visit
    submitting = true;
    // Queued first: from here on nothing is lost, whatever the network does.
    put('queue', rec).then(function () { return del('drafts', draftId); }).then(function () {
      say(msg('sending'));
      return deliver(rec);
    }).then(function (out) {
      button.disabled = false;
      if (out.done) {
        submitting = false;
        window.location.assign(out.url);
        return;
      }
      if (out.res && out.res.status === 422 && out.res.fields) {
        // The form is at hand: show the errors, back to a draft.
        showServerErrors(out.res.fields);
        say(out.res.error || '');
        submitting = false;
        return del('queue', rec.key).then(saveDraft);
      }
      // Kept in the queue (failed with its reason, or waiting for a
      // connection): a fresh form for the next visit.
      say(rec.status === 'failed' ? rec.error : msg('queued'));
      fresh();
      submitting = false;
    }, function () { button.disabled = false; submitting = false; });
  }

  function fresh() {
    var keep = {};
    ['date', 'kind'].forEach(function (k) { keep[k] = form.elements[k].value; });
    form.reset();
    Object.keys(keep).forEach(function (k) { form.elements[k].value = keep[k]; });
    keyInput.value = newKey();
    photos = [];
    showPhotos();
    ['checkin_lat', 'checkin_long', 'checkin_acc', 'checkin_at'].forEach(function (k) { form.elements[k].value = ''; });
    var out = document.getElementById('vs-checkin-text');
    if (out) out.textContent = '';
  }

  if (form) {
    get('drafts', draftId).then(function (d) {
      if (d && d.fields && d.fields.length) {
        restore(d);
        say(msg('restored'));
      } else {
        // The page may be a copy kept for use offline: its key was
        // drawn for an earlier visit.
        keyInput.value = newKey();
      }
    });
    form.addEventListener('submit', submit);
    form.addEventListener('input', saveSoon);
    form.addEventListener('change', function (ev) {
      if (ev.target && ev.target.name === 'photo') addPhotos(ev.target);
      else saveSoon();
    });
    var gps = document.getElementById('vs-checkin');
    if (gps) gps.addEventListener('click', checkIn);
  }

  // Send what waits whenever there may be a connection.
  window.addEventListener('online', function () { render(); syncAll(false); });
  window.addEventListener('offline', render);
  setInterval(function () { if (navigator.onLine) syncAll(false); }, 30000);
  render();
  if (navigator.onLine) syncAll(false);
  // For tests and the curious: the state of the queue.
  window.zhagenOffline = { queue: mine, sync: syncAll, draft: function () { return get('drafts', draftId); } };
})();
