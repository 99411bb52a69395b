// The steps every sample's Node.js script shares, in the order of Qlik's WebSocket CSRF article:
// after the sample's own login, read the qlik-csrf-token header, open the engine WebSocket with the
// session cookie and the token, and read data. Each samples/<method>/<method>.mjs does its login
// and calls these.
//
// Settings (environment), defaults for the demo (`dotnet run --project src/Portico`, from the
// repository root):
//   PORTICO_URL        Portico's HTTPS address                       https://localhost:8443
//   PORTICO_QPS_URL    Portico's QPS API                             https://localhost:4243
//   PORTICO_DATA       Portico's data directory (development CA and
//                      QPS client certificate)                       data (samples/data for a sample's own config)
//   PORTICO_PREFIX     the virtual proxy                             the script's (the demo's)
//   PORTICO_APP        the app to read                               Sales Demo.qvf
// --json prints one JSON line with the result instead of the steps.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import enigma from 'enigma.js';
import WebSocket from 'ws';
import { salesByRegion as sales } from '../web/sales.js';

const env = process.env;
const json = process.argv.includes('--json');

export const settings = {
  url: (env.PORTICO_URL ?? 'https://localhost:8443').replace(/\/$/, ''),
  qpsUrl: (env.PORTICO_QPS_URL ?? 'https://localhost:4243').replace(/\/$/, ''),
  data: path.resolve(env.PORTICO_DATA ?? 'data'),
  appId: env.PORTICO_APP ?? 'Sales Demo.qvf',
};

// Node.js reads extra CA certificates only at start: run this script again with Portico's
// development CA trusted, for fetch, ws and @qlik/api alike (no certificate check is turned off).
export function trustPorticoCa() {
  const ca = path.join(settings.data, 'portico-dev-ca.pem');
  if (env.NODE_EXTRA_CA_CERTS === ca) return;
  const run = spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...env, NODE_EXTRA_CA_CERTS: ca } });
  process.exit(run.status ?? 1);
}

// The virtual proxy's base URL, e.g. https://localhost:8443/jwt (the default one has no prefix).
export function virtualProxy(defaultPrefix) {
  const prefix = env.PORTICO_PREFIX ?? defaultPrefix;
  return { prefix, base: prefix ? `${settings.url}/${prefix}` : settings.url };
}

const steps = [];
export function step(text) {
  steps.push(text);
  if (!json) console.log(`${steps.length}. ${text}`);
}

// One HTTPS request (node:https, so that a client certificate or a local address can be given).
export function request(url, { method = 'GET', headers = {}, body, ...tls } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ...tls }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// A call to the QPS API: mutual TLS with the client certificate Portico trusts, and Qlik's xrfkey
// pair (the same 16 characters in the query and the X-Qlik-Xrfkey header).
export async function qps(apiPath, body) {
  const xrfkey = randomBytes(8).toString('hex');
  const response = await request(`${settings.qpsUrl}${apiPath}?xrfkey=${xrfkey}`, {
    method: 'POST',
    headers: { 'X-Qlik-Xrfkey': xrfkey, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    cert: readFileSync(path.join(settings.data, 'portico-dev-client.pem')),
    key: readFileSync(path.join(settings.data, 'portico-dev-client-key.pem')),
  });
  if (response.status !== 201) throw new Error(`QPS API ${apiPath} answered ${response.status}: ${response.body}`);
  return JSON.parse(response.body);
}

// A cookie jar of one request chain: the Set-Cookie answers, as the Cookie header to send back.
export function cookieHeader(jar, response) {
  for (const line of response.headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const name = pair.slice(0, pair.indexOf('='));
    jar.set(name, pair);
  }
  return [...jar.values()].join('; ');
}

// GET {base}/qps/csrftoken with the sample's credential: Portico answers 204 with the session's
// token in qlik-csrf-token (and its session cookie). A one-time ticket in the URL is answered with
// a redirect to the same URL without it, which is followed once, with the new cookie.
export async function csrfToken(base, { query = '', headers = {}, ...tls } = {}) {
  const jar = new Map();
  if (headers.Cookie) jar.set('', headers.Cookie);
  let response = await request(`${base}/qps/csrftoken${query}`, { headers, ...tls });
  let cookie = cookieHeader(jar, response);
  if (response.status >= 300 && response.status < 400 && response.headers.location) {
    response = await request(new URL(response.headers.location, base), { headers: { ...headers, Cookie: cookie }, ...tls });
    cookie = cookieHeader(jar, response);
  }

  const token = response.headers['qlik-csrf-token'];
  if (!token) throw new Error(`no qlik-csrf-token: ${base}/qps/csrftoken answered ${response.status} ${response.body}`);
  step(`qlik-csrf-token read from ${base}/qps/csrftoken (HTTP ${response.status})${cookie ? ', with the session cookie' : ''}`);
  return { token, cookie };
}

// Opens wss://…/{prefix}/app/engineData?qlik-csrf-token=… with the unmodified enigma.js and ws
// (the cookie, and any other header, on the upgrade), and reads Sum(Sales) by Region.
export async function readSales(base, { token, cookie, headers = {}, ...socketOptions }) {
  const schema = createRequire(import.meta.url)('enigma.js/schemas/12.2027.0.json');
  const url = `${base.replace(/^https:/, 'wss:')}/app/engineData?qlik-csrf-token=${encodeURIComponent(token)}`;
  const socketHeaders = cookie ? { ...headers, Cookie: cookie } : headers;
  const session = enigma.create({ schema, url, createSocket: (socketUrl) => new WebSocket(socketUrl, { headers: socketHeaders, ...socketOptions }) });
  const global = await session.open();
  try {
    const user = await global.getAuthenticatedUser();
    step(`engine WebSocket open as ${user}`);
    const docs = (await global.getDocList()).map((doc) => doc.qDocName);
    return { user, docs, rows: await salesByRegion(await global.openDoc(settings.appId)) };
  } finally {
    await session.close();
  }
}

// Sum(Sales) by Region of an open app (enigma.js's or @qlik/api's): [[region, sales], …].
export async function salesByRegion(app) {
  const { matrix } = await sales(app);
  return matrix.map((row) => [row[0].qText, row[1].qNum]);
}

// Prints the data (or the result as one JSON line with --json) and ends the process.
export function finish(method, result) {
  if (json) {
    console.log(JSON.stringify({ ok: true, method, steps, ...result }));
  } else {
    console.log(`${steps.length + 1}. ${settings.appId}, Sum(Sales) by Region:`);
    for (const [region, sales] of result.rows) console.log(`     ${region.padEnd(10)} ${sales.toLocaleString('en-US')}`);
  }
  process.exit(0);
}

export function failed(method, err) {
  const message = err?.message ?? String(err);
  if (json) console.log(JSON.stringify({ ok: false, method, steps, error: message }));
  else console.error(`failed: ${message}`);
  process.exit(1);
}
