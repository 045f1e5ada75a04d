// certapi's dashboard: a small page over the admin API (docs/api.md). The token lives in this
// tab's sessionStorage only and goes in the Authorization header of every call.
(function () {
  'use strict';
  const TOKEN = 'certapi.admin.token';
  const $ = (id) => document.getElementById(id);
  const REASONS = { 0: 'unspecified', 1: 'keyCompromise', 3: 'affiliationChanged',
    4: 'superseded', 5: 'cessationOfOperation', 6: 'certificateHold', 9: 'privilegeWithdrawn' };

  function token() { return sessionStorage.getItem(TOKEN); }

  async function api(path, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    opts.headers.Authorization = 'Bearer ' + token();
    const r = await fetch('/admin' + path, opts);
    if (r.status === 401) {
      sessionStorage.removeItem(TOKEN);
      show();
      throw new Error('the token was refused');
    }
    const type = r.headers.get('Content-Type') || '';
    const body = type.includes('json') ? await r.json() : await r.text();
    if (!r.ok) {
      throw new Error(body && body.detail ? body.detail : 'HTTP ' + r.status);
    }
    return body;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'onclick' || k === 'onsubmit') {
        e[k] = v;
      } else if (k === 'style') {
        e.style.cssText = v; // through the CSSOM: the page's CSP allows no inline style attribute
      } else if (v !== undefined && v !== null) {
        e.setAttribute(k, v);
      }
    }
    for (const c of children.flat()) {
      e.append(c instanceof Node ? c : document.createTextNode(c === null || c === undefined ? '' : String(c)));
    }
    return e;
  }

  function table(headers, rows, id) {
    return el('table', { id }, el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
      el('tbody', {}, rows));
  }

  function when(t) { return t ? t.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''; }

  function left(t) {
    if (!t) { return ''; }
    const s = (Date.parse(t) - Date.now()) / 1000;
    if (s < 0) { return 'expired'; }
    if (s > 86400) { return Math.floor(s / 86400) + ' days'; }
    if (s > 3600) { return Math.floor(s / 3600) + ' h'; }
    return Math.floor(s / 60) + ' min';
  }

  function link(hash, text) { return el('a', { href: hash }, text); }

  function searchForm(fields, values, onSearch) {
    const inputs = fields.map(([name, label, options]) => {
      const input = options
        ? el('select', { name, id: 'search-' + name }, options.map(([v, t]) => el('option', { value: v }, t)))
        : el('input', { name, id: 'search-' + name });
      input.value = values[name] || '';
      return el('label', {}, label, input);
    });
    return el('form', { class: 'search', onsubmit: (ev) => {
      ev.preventDefault();
      const q = {};
      for (const i of ev.target.querySelectorAll('input, select')) { if (i.value) { q[i.name] = i.value; } }
      onSearch(q);
    } }, inputs, el('button', { type: 'submit', id: 'search-button' }, 'Search'));
  }

  function query(q) { return new URLSearchParams(q).toString(); }

  function params() {
    const h = location.hash.slice(1);
    const i = h.indexOf('?');
    return { page: i < 0 ? h : h.slice(0, i), q: Object.fromEntries(new URLSearchParams(i < 0 ? '' : h.slice(i + 1))) };
  }

  function pager(result, base, q) {
    const pages = Math.max(1, Math.ceil(result.total / result.size));
    const at = result.page;
    const go = (p) => { location.hash = base + '?' + query(Object.assign({}, q, { page: p })); };
    return el('div', { class: 'pager' }, result.total + ' found, page ' + (at + 1) + ' of ' + pages + ' ',
      at > 0 ? el('button', { type: 'button', onclick: () => go(at - 1) }, 'Previous') : '',
      at + 1 < pages ? el('button', { type: 'button', onclick: () => go(at + 1) }, 'Next') : '');
  }

  const views = {
    async overview() {
      const o = await api('/overview');
      const max = Math.max(1, ...Object.values(o.issuedPerHour));
      return [el('h2', {}, 'Overview'),
        el('h3', {}, 'Certificates issued per hour (last 24 h)'),
        table(['hour (UTC)', 'issued', ''], Object.entries(o.issuedPerHour).map(([h, n]) =>
          el('tr', {}, el('td', {}, when(h)), el('td', {}, n),
            el('td', {}, el('span', { class: 'bar', style: 'width:' + (200 * n / max) + 'px' }))))),
        el('h3', {}, 'Orders by status'),
        table(['status', 'orders'], Object.entries(o.ordersByStatus).map(([s, n]) =>
          el('tr', {}, el('td', {}, s), el('td', {}, n))), 'orders-by-status'),
        el('h3', {}, 'Validations failing now'),
        o.failingValidations.length === 0 ? el('p', {}, 'None in the last 24 hours.')
          : table(['identifier', 'type', 'status', 'why'], o.failingValidations.map((f) =>
            el('tr', {}, el('td', {}, f.identifier), el('td', {}, f.type), el('td', {}, f.status),
              el('td', {}, f.error && f.error.detail ? f.error.detail : JSON.stringify(f.error))))),
        el('h3', {}, 'CA'),
        el('p', {}, 'Next intermediate rotation: ' + when(o.intermediateRenewalAt)
          + '; next root rotation: ' + when(o.rootRenewalAt)),
        table(['role', 'subject', 'not after', 'left', 'in use'], o.ca.map((c) =>
          el('tr', {}, el('td', {}, c.role), el('td', {}, c.subject), el('td', {}, when(c.notAfter)),
            el('td', {}, left(c.notAfter)), el('td', {}, c.current ? 'yes' : ''))), 'ca')];
    },

    async accounts(q) {
      const r = await api('/accounts?' + query(q));
      return [el('h2', {}, 'Accounts'),
        searchForm([['contact', 'Contact'], ['status', 'Status', [['', 'any'], ['valid', 'valid'], ['deactivated', 'deactivated']]],
          ['thumbprint', 'Key thumbprint']], q, (n) => { location.hash = 'accounts?' + query(n); }),
        table(['account', 'status', 'contacts', 'created'], r.items.map((a) =>
          el('tr', {}, el('td', {}, link('#account?id=' + a.id, a.id)), el('td', {}, a.status),
            el('td', {}, a.contacts.join(', ')), el('td', {}, when(a.createdAt)))), 'accounts-table'),
        pager(r, 'accounts', q)];
    },

    async account(q) {
      const d = await api('/accounts/' + encodeURIComponent(q.id));
      const a = d.account;
      return [el('h2', {}, 'Account ' + a.id),
        el('p', {}, 'Status ' + a.status + '; contacts ' + (a.contacts.join(', ') || 'none')
          + '; key thumbprint ' + a.keyThumbprint + (a.eabKeyId ? '; EAB key ' + a.eabKeyId : '')),
        a.status === 'valid' ? el('button', { type: 'button', id: 'deactivate', onclick: async () => {
          if (confirm('Deactivate account ' + a.id + '?')) {
            await api('/accounts/' + a.id + '/deactivate', { method: 'POST' });
            render();
          }
        } }, 'Deactivate') : '',
        el('h3', {}, 'Orders'), ordersTable(d.orders)];
    },

    async orders(q) {
      const r = await api('/orders?' + query(q));
      return [el('h2', {}, 'Orders'),
        searchForm([['status', 'Status', [['', 'any'], ['pending', 'pending'], ['ready', 'ready'],
          ['processing', 'processing'], ['valid', 'valid'], ['invalid', 'invalid']]],
        ['identifier', 'Identifier'], ['account', 'Account']], q,
        (n) => { location.hash = 'orders?' + query(n); }),
        ordersTable(r.items), pager(r, 'orders', q)];
    },

    async order(q) {
      const d = await api('/orders/' + encodeURIComponent(q.id));
      const o = d.order;
      return [el('h2', {}, 'Order ' + o.id),
        el('p', {}, 'Status ' + o.status + '; account ', link('#account?id=' + o.account, o.account),
          '; ' + o.identifiers.join(', ') + (o.certificate ? '; certificate ' + o.certificate : '')),
        o.error ? el('pre', { class: 'error' }, JSON.stringify(o.error, null, 2)) : '',
        d.authorizations.map((a) => [el('h3', {}, 'Authorization ' + a.identifier + ' (' + a.status + ')'),
          a.challenges.map((c) => [el('h4', {}, c.type + ': ' + c.status + ', ' + c.attempts + ' attempt(s)'),
            c.error ? el('pre', { class: 'error' }, JSON.stringify(c.error, null, 2)) : '',
            c.transcript ? el('pre', { class: 'transcript' }, JSON.stringify(c.transcript, null, 2)) : ''])])];
    },

    async certificates(q) {
      const r = await api('/certificates?' + query(q));
      return [el('h2', {}, 'Certificates'),
        searchForm([['name', 'Name'], ['serial', 'Serial'], ['account', 'Account'],
          ['revoked', 'Revoked', [['', 'any'], ['false', 'no'], ['true', 'yes']]]], q,
        (n) => { location.hash = 'certificates?' + query(n); }),
        table(['serial', 'names', 'account', 'not after', 'status', ''], r.items.map((c) =>
          el('tr', { 'data-serial': c.serial, 'data-id': c.id },
            el('td', {}, c.serial), el('td', {}, c.identifiers.join(', ')),
            el('td', {}, link('#account?id=' + c.account, c.account)), el('td', {}, when(c.notAfter)),
            el('td', { class: c.revokedAt ? 'revoked' : 'valid' },
              c.revokedAt ? 'revoked (' + (REASONS[c.revocationReason] || c.revocationReason) + ')' : 'valid'),
            el('td', {}, el('button', { type: 'button', class: 'pem', onclick: () => download(c.id) }, 'PEM'), ' ',
              c.revokedAt ? '' : revokeControl(c)))), 'certificates-table'),
        pager(r, 'certificates', q)];
    },
  };

  function ordersTable(orders) {
    return table(['order', 'status', 'identifiers', 'created'], orders.map((o) =>
      el('tr', {}, el('td', {}, link('#order?id=' + o.id, o.id)), el('td', {}, o.status),
        el('td', {}, o.identifiers.join(', ')), el('td', {}, when(o.createdAt)))), 'orders-table');
  }

  function revokeControl(c) {
    const reason = el('select', { class: 'reason' }, Object.entries(REASONS).map(([v, t]) => el('option', { value: v }, t)));
    return el('span', {}, reason, el('button', { type: 'button', class: 'revoke', onclick: async () => {
      if (!confirm('Revoke certificate ' + c.serial + ' (' + reason.selectedOptions[0].text + ')?')) { return; }
      await api('/certificates/' + c.id + '/revoke', { method: 'POST',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reason: Number(reason.value) }) });
      render();
    } }, 'Revoke'));
  }

  async function download(id) {
    const pem = await api('/certificates/' + id + '/pem');
    const a = el('a', { href: URL.createObjectURL(new Blob([pem], { type: 'application/x-pem-file' })), download: id + '.pem' });
    document.body.append(a);
    a.click();
    a.remove();
  }

  async function render() {
    const { page, q } = params();
    const name = views[page] ? page : 'overview';
    for (const a of document.querySelectorAll('nav a')) {
      a.classList.toggle('active', a.id === 'nav-' + (name === 'account' ? 'accounts' : name === 'order' ? 'orders' : name));
    }
    const view = $('view');
    try {
      view.replaceChildren(el('p', {}, 'Loading…'));
      view.replaceChildren(...[await views[name](q)].flat(Infinity));
    } catch (e) {
      view.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  function show() {
    const in_ = !!token();
    $('login').hidden = in_;
    $('nav').hidden = !in_;
    $('view').hidden = !in_;
    if (in_) { render(); }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').onsubmit = async (ev) => {
      ev.preventDefault();
      sessionStorage.setItem(TOKEN, $('token').value.trim());
      try {
        await api('/overview');
        $('login-error').textContent = '';
        show();
      } catch (e) {
        $('login-error').textContent = 'Log in failed: ' + e.message;
      }
    };
    $('logout').onclick = () => { sessionStorage.removeItem(TOKEN); show(); };
    window.addEventListener('hashchange', () => { if (token()) { render(); } });
    show();
  });
}());
