// A nebula.js mashup on its own site, connected through Portico the way Qlik documents it for
// nebula.js: the CSRF token from {host}/qps/csrftoken (credentials: 'include'), the global socket at
// wss://{host}?qlik-csrf-token=... (no /app), an app socket at {host}/app/{appId}, and stardust's
// embed(app, { types }) rendering a chart type defined here. enigma.js and stardust are the
// unmodified UMD builds (globals `enigma` and `stardust`).
import { csrfToken, show } from '/shared/flow.js';

// A chart type of this page: it asks for one dimension and one measure and writes the hypercube's
// values into a table. stardust creates its session object and hands it the layout.
function salesTable() {
  return {
    qae: {
      properties: {
        qHyperCubeDef: { qDimensions: [], qMeasures: [], qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 2, qHeight: 50 }] },
      },
      data: { targets: [{ path: '/qHyperCubeDef', dimensions: { min: 1, max: 1 }, measures: { min: 1, max: 1 } }] },
    },
    component() {
      const element = stardust.useElement();
      const layout = stardust.useLayout();
      stardust.useEffect(() => {
        const cube = layout.qHyperCube;
        const titles = [...cube.qDimensionInfo, ...cube.qMeasureInfo].map((info) => info.qFallbackTitle);
        const table = document.createElement('table');
        table.className = 'portico-sales';
        const head = table.createTHead().insertRow();
        titles.forEach((title) => { head.appendChild(document.createElement('th')).textContent = title; });
        const body = table.createTBody();
        for (const row of cube.qDataPages[0]?.qMatrix ?? []) {
          const line = body.insertRow();
          line.insertCell().textContent = row[0].qText;
          const value = line.insertCell();
          value.className = 'number';
          value.textContent = row[1].qNum.toLocaleString('en-US');
        }
        element.replaceChildren(table);
      }, [element, layout]);
    },
  };
}

// The mashup's back end vouches for its user with a JWT; this one request starts the proxy session
// (a partitioned SameSite=None cookie). Everything after it is the nebula.js flow, on that cookie.
async function login(host) {
  const jwt = await (await fetch('/token', { method: 'POST' })).text();
  try {
    await fetch(`${host}/qps/csrftoken`, { credentials: 'include', headers: { Authorization: `Bearer ${jwt}` } });
  } catch {
    // A refused preflight: the token step below reports it.
  }
}

async function open(schema, url, step) {
  const session = enigma.create({ schema, url });
  try {
    const global = await session.open();
    show(step, 'open', true);
    return global;
  } catch (err) {
    // A browser does not tell the page why a handshake failed (the proxy answered 403).
    show(step, 'refused', false);
    throw new Error(`WebSocket refused (${step})`);
  }
}

async function main() {
  const settings = await (await fetch('/settings')).json();
  const host = `${settings.porticoUrl}/jwt`;
  const wsHost = host.replace(/^https:/, 'wss:');
  show('page-origin', window.location.origin);
  show('proxy-origin', host);

  await login(host);
  const token = await csrfToken(`${host}/qps/csrftoken`, { credentials: 'include' });
  // Without a token the sockets are still tried, so the page shows what the proxy answers.
  const query = token ? `?qlik-csrf-token=${encodeURIComponent(token)}` : '';

  const schema = await (await fetch('/lib/schema.json')).json();
  const global = await open(schema, `${wsHost}${query}`, 'step-global');
  show('global-user', await global.getAuthenticatedUser());
  const docs = await global.getDocList();
  document.getElementById('doc-list').replaceChildren(...docs.map((doc) => {
    const item = document.createElement('li');
    item.textContent = doc.qDocName;
    return item;
  }));

  const appGlobal = await open(schema, `${wsHost}/app/${encodeURIComponent(settings.appId)}${query}`, 'step-app');
  const app = await appGlobal.openDoc(settings.appId);

  const nebbie = stardust.embed(app, { types: [{ name: 'portico-sales', load: () => Promise.resolve(salesTable) }] });
  await nebbie.render({ element: document.getElementById('chart'), type: 'portico-sales', fields: ['Region', '=Sum(Sales)'] });
  show('step-render', 'rendered', true);
  document.getElementById('status').dataset.state = 'ready';
  show('status', `Data from ${settings.appId}, rendered by stardust.`);
}

main().catch((err) => {
  document.getElementById('status').dataset.state = 'error';
  show('status', `No data: ${err?.message ?? err}.`);
});
