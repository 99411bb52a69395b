// The steps every sample page shares, in the order of Qlik's WebSocket CSRF article: after the
// sample's own login, read the qlik-csrf-token header (readable cross-origin only because Portico
// lists it in Access-Control-Expose-Headers for allowed origins), open the engine WebSocket with
// the token in its URL, and read data. Each sample's page.js does its login and calls these.

import { salesByRegion } from './sales.js';

export const query = new URLSearchParams(window.location.search);

export function show(id, text, ok) {
  const element = document.getElementById(id);
  element.textContent = text;
  if (ok !== undefined) element.dataset.ok = String(ok);
}

export async function getJson(path, init) {
  const response = await fetch(path, init);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

// Portico's address, the app, and the virtual proxy: the sample's folder name (the page is served
// at /<method>/), unless the URL names another (?prefix=).
export async function sampleSettings() {
  const settings = await getJson('/settings');
  const method = window.location.pathname.split('/')[1];
  const prefix = query.get('prefix') ?? method;
  show('page-origin', window.location.origin);
  show('method', `(${method})`);
  show('proxy-origin', `${settings.porticoUrl}/${prefix}/`);
  return { ...settings, method, prefix, proxy: `${settings.porticoUrl}/${prefix}` };
}

// GET {host}/qps/csrftoken: authenticates like any request (the init carries the sample's
// credential, or credentials: 'include' for the session cookie) and answers with the session's
// token in the qlik-csrf-token header.
export async function csrfToken(url, init = {}) {
  try {
    const response = await fetch(url, init);
    const token = response.headers.get('qlik-csrf-token');
    show('step-token', token ? 'received' : `not readable (HTTP ${response.status})`, Boolean(token));
    return token;
  } catch (err) {
    // A refused preflight or CORS check: the page may not read the answer.
    show('step-token', `not readable: ${err.message}`, false);
    return null;
  }
}

// wss://…/{prefix}/app/engineData with the token. Without a token the socket is still tried, so
// the page shows what the proxy answers.
export function engineUrl(host, token) {
  const socket = `${host.replace(/^https:/, 'wss:')}/app/engineData`;
  return token ? `${socket}?qlik-csrf-token=${encodeURIComponent(token)}` : socket;
}

function renderDocList(docs) {
  document.getElementById('doc-list').replaceChildren(...docs.map((doc) => {
    const item = document.createElement('li');
    item.textContent = doc.qDocName;
    return item;
  }));
}

function renderTable({ titles, matrix }) {
  document.querySelector('#sales thead tr').replaceChildren(...titles.map((title) => {
    const cell = document.createElement('th');
    cell.textContent = title;
    return cell;
  }));
  document.querySelector('#sales tbody').replaceChildren(...matrix.map(([region, sales]) => {
    const line = document.createElement('tr');
    const name = line.insertCell();
    name.textContent = region.qText;
    const value = line.insertCell();
    value.className = 'number';
    value.textContent = sales.qNum.toLocaleString('en-US');
    return line;
  }));
}

export function fail(err) {
  document.getElementById('status').dataset.state = 'error';
  show('status', `No data: ${err?.message ?? err}.`);
}

// Opens the engine WebSocket with the unmodified enigma.js browser build (the global `enigma`),
// lists the apps, and renders Sum(Sales) by Region from a session hypercube.
export async function showSales(url, appId) {
  const schema = await getJson('/lib/schema.json');
  const session = enigma.create({ schema, url });
  let authentication = null;
  let opened = false;
  session.on('notification:OnAuthenticationInformation', (info) => { authentication = info; });

  try {
    const global = await session.open();
    opened = true;
    show('step-socket', 'open', true);

    renderDocList(await global.getDocList());
    const table = await salesByRegion(await global.openDoc(appId));
    renderTable(table);
    document.getElementById('status').dataset.state = 'ready';
    show('status', `Data from ${appId}: ${table.matrix.length} regions.`);
  } catch (err) {
    let reason;
    if (authentication?.mustAuthenticate) {
      reason = 'not authenticated: the proxy asked for a login (OnAuthenticationInformation mustAuthenticate)';
      show('step-socket', 'opened without a login, then closed', false);
    } else if (!opened) {
      // A browser does not tell the page why a handshake failed (the proxy answered 403).
      reason = 'WebSocket refused (it closed before opening)';
      show('step-socket', 'refused', false);
    } else {
      reason = err?.message ?? String(err);
      show('step-socket', 'closed', false);
    }

    fail(reason);
  }
}
