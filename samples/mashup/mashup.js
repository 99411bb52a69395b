// A mashup on its own site reading Qlik data through Portico on another site, with the unmodified
// enigma.js browser build (loaded by index.html as the global `enigma`).
//
//   /                      JWT login, cookie + qlik-csrf-token (virtual proxy settings.jwtPrefix)
//   /?prefix=other         the same against another JWT virtual proxy
//   /?auth=ticket          one-time ticket in the WebSocket URL, no cookie (settings.ticketPrefix)

const query = new URLSearchParams(window.location.search);
const useTicket = query.get('auth') === 'ticket';

function show(id, text, ok) {
  const element = document.getElementById(id);
  element.textContent = text;
  if (ok !== undefined) element.dataset.ok = String(ok);
}

async function getJson(path, init) {
  const response = await fetch(path, init);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

// JWT login (the flow of Qlik's article and enigma.js's sense-using-jwt example):
// 1. the mashup's back end signs a short-lived JWT for its signed-in user;
// 2. the page sends it to Portico's csrftoken endpoint. The Authorization header makes this a
//    preflighted CORS request; Portico answers only allowed origins, starts an HTTP session
//    (Set-Cookie) and returns that session's token in the qlik-csrf-token header;
// 3. the WebSocket then carries the session cookie (sent by the browser) and the token (in the URL).
async function loginWithJwt(proxy, prefix) {
  const jwt = await (await fetch('/token', { method: 'POST' })).text();
  show('step-login', 'JWT from the mashup back end', true);
  let token = null;
  try {
    const response = await fetch(`${proxy}/${prefix}/qps/csrftoken`, {
      credentials: 'include',
      headers: { Authorization: `Bearer ${jwt}` },
    });
    token = response.headers.get('qlik-csrf-token');
    show('step-token', token ? 'received' : `not readable (HTTP ${response.status})`, Boolean(token));
  } catch (err) {
    show('step-token', `not readable: ${err.message}`, false);
  }

  // Without a token the socket is still tried, so the page shows what the proxy answers.
  const socket = `${proxy.replace(/^https:/, 'wss:')}/${prefix}/app/engineData`;
  return token ? `${socket}?qlik-csrf-token=${encodeURIComponent(token)}` : socket;
}

// Ticket login: the back end gets a one-time ticket from Portico's QPS API (mutual TLS) and the
// page puts it in the WebSocket URL. No cookie and no CSRF token are involved.
async function loginWithTicket(proxy, prefix) {
  const { ticket } = await getJson('/ticket', { method: 'POST' });
  show('step-login', 'ticket from the mashup back end', true);
  show('step-token', 'not needed (ticket)', true);
  return `${proxy.replace(/^https:/, 'wss:')}/${prefix}/app/engineData?qlikTicket=${encodeURIComponent(ticket)}`;
}

function renderDocList(docs) {
  const list = document.getElementById('doc-list');
  list.replaceChildren(...docs.map((doc) => {
    const item = document.createElement('li');
    item.textContent = doc.qDocName;
    return item;
  }));
}

function renderTable(layout, matrix) {
  const head = document.querySelector('#sales thead tr');
  const titles = [...layout.qHyperCube.qDimensionInfo, ...layout.qHyperCube.qMeasureInfo].map((info) => info.qFallbackTitle);
  head.replaceChildren(...titles.map((title) => {
    const cell = document.createElement('th');
    cell.textContent = title;
    return cell;
  }));
  const body = document.querySelector('#sales tbody');
  body.replaceChildren(...matrix.map((row) => {
    const line = document.createElement('tr');
    line.append(...row.map((cell, index) => {
      const td = document.createElement('td');
      const isMeasure = index >= layout.qHyperCube.qDimensionInfo.length;
      td.textContent = isMeasure ? cell.qNum.toLocaleString('en-US') : cell.qText;
      if (isMeasure) td.className = 'number';
      return td;
    }));
    return line;
  }));
}

async function main() {
  const settings = await getJson('/settings');
  const prefix = query.get('prefix') || (useTicket ? settings.ticketPrefix : settings.jwtPrefix);
  const proxy = settings.porticoUrl;
  show('page-origin', window.location.origin);
  show('proxy-origin', `${proxy}/${prefix}/`);

  const schema = await getJson('/schema.json');
  const url = useTicket ? await loginWithTicket(proxy, prefix) : await loginWithJwt(proxy, prefix);

  const session = enigma.create({ schema, url });
  let authentication = null;
  let opened = false;
  session.on('notification:OnAuthenticationInformation', (info) => { authentication = info; });

  try {
    const global = await session.open();
    opened = true;
    show('step-socket', 'open', true);

    renderDocList(await global.getDocList());
    const app = await global.openDoc(settings.appId);
    const page = { qTop: 0, qLeft: 0, qWidth: 2, qHeight: 50 };
    const table = await app.createSessionObject({
      qInfo: { qType: 'mashup-table' },
      qHyperCubeDef: {
        qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
        qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
        qInitialDataFetch: [page],
      },
    });
    const layout = await table.getLayout();
    const [data] = await table.getHyperCubeData('/qHyperCubeDef', [page]);
    renderTable(layout, data.qMatrix);
    document.getElementById('status').dataset.state = 'ready';
    show('status', `Data from ${settings.appId}: ${data.qMatrix.length} regions.`);
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

    document.getElementById('status').dataset.state = 'error';
    show('status', `No data: ${reason}.`);
  }
}

main().catch((err) => {
  document.getElementById('status').dataset.state = 'error';
  show('status', `No data: ${err.message}.`);
});
