// OpenID Connect from Node.js with enigma.js. Node.js has no browser, so the script plays one with
// a cookie jar per site: it opens Portico's login (/{prefix}/oidc/login), follows Portico's redirect
// to the provider, fills in the provider's login form as a user would, follows the provider's
// redirect back to Portico's redirect URI (Portico checks the code and the id_token and sets its
// session cookie), then reads the qlik-csrf-token and opens the engine WebSocket with both.
//   samples/run.sh oidc                     (starts the test provider and Portico on samples/oidc/portico.json, then this script: README.md)
// PORTICO_USER is the user typed into the provider's form (the test provider knows alice and bob);
// PORTICO_OIDC_CA names the CA of the provider's certificate when it is not a public one.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { cookieHeader, csrfToken, failed, finish, readSales, request, settings, step, trustPorticoCa, virtualProxy } from '../shared/node/flow.mjs';

trustPorticoCa();
const { base } = virtualProxy('oidc');
const user = process.env.PORTICO_USER ?? 'alice';
const providerTls = process.env.PORTICO_OIDC_CA ? { ca: [...rootCertificates, readFileSync(process.env.PORTICO_OIDC_CA, 'utf8')] } : {};
const portico = new URL(settings.url).origin;

// Follows the login's redirects as a browser would (GET after each one), sending each site its own
// cookies. Anything that is not the provider is Portico: its public name (publicHost, in the
// redirect URI) is reached at PORTICO_URL, as a browser resolving that name to it would.
async function signIn() {
  const jars = new Map();
  let provider = null;
  let url = new URL(`${base}/oidc/login`);
  let form = null;
  for (let hop = 0; hop < 20; hop++) {
    if (url.origin !== provider && provider !== null) url = new URL(url.pathname + url.search, portico);
    const site = url.origin === provider ? 'provider' : 'portico';
    const jar = jars.get(site) ?? new Map();
    jars.set(site, jar);
    const headers = {};
    if (jar.size > 0) headers.Cookie = [...jar.values()].join('; ');
    if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const response = await request(url, { method: form ? 'POST' : 'GET', headers, body: form ?? undefined, ...(site === 'provider' ? providerTls : {}) });
    cookieHeader(jar, response);
    const posted = form !== null;
    form = null;

    if (response.status >= 300 && response.status < 400 && response.headers.location) {
      const next = new URL(response.headers.location, url);
      if (provider === null && site === 'portico') {
        provider = next.origin;
        step(`Portico sent the login to the provider ${provider}`);
      }

      url = next;
      continue;
    }

    if (site === 'portico') {
      const cookie = cookieHeader(jars.get('portico'), { headers: {} });
      if (!provider || !cookie) throw new Error(`Portico answered ${response.status} at ${url.pathname} without a login`);
      step(`back at Portico (${url.pathname}) with its session cookie`);
      return cookie;
    }

    const action = /<form[^>]*action="([^"]+)"/.exec(response.body);
    if (response.status !== 200 || !action || posted) {
      throw new Error(`the provider did not sign ${user} in: ${response.status} at ${url.pathname}`);
    }

    step(`signed in as ${user} on the provider's login page`);
    url = new URL(action[1], url);
    form = new URLSearchParams({ login: user }).toString();
  }

  throw new Error('the login did not come back to Portico within 20 redirects');
}

try {
  const cookie = await signIn();
  const { token } = await csrfToken(base, { headers: { Cookie: cookie } });
  finish('oidc', await readSales(base, { token, cookie }));
} catch (err) {
  failed('oidc', err);
}
