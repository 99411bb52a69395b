// Header authentication from Node.js with enigma.js: the script plays the trusted front. It sets
// the authentication header on every request, from an address the virtual proxy trusts
// (headerAuthenticationTrustedNetworks), reads the token, and opens the engine WebSocket with the
// header and the token. A browser never sets the header: see README.md for the page's front.
//   node samples/header/header.mjs                  (against the demo's /header/, which trusts 127.0.0.1)
// PORTICO_HEADER names the header, PORTICO_USER its value, PORTICO_LOCAL_ADDRESS the address to
// connect from (127.0.0.2 for samples/header/portico.json).
import { csrfToken, failed, finish, readSales, step, trustPorticoCa, virtualProxy } from '../shared/node/flow.mjs';

trustPorticoCa();
const { base } = virtualProxy('header');
const headers = { [process.env.PORTICO_HEADER ?? 'X-Portico-User']: process.env.PORTICO_USER ?? 'alice' };
const localAddress = process.env.PORTICO_LOCAL_ADDRESS;
try {
  step(`login by the trusted front: ${Object.keys(headers)[0]}: ${Object.values(headers)[0]}${localAddress ? `, from ${localAddress}` : ''}`);
  const { token, cookie } = await csrfToken(base, { headers, localAddress });
  finish('header', await readSales(base, { token, cookie, headers, localAddress }));
} catch (err) {
  failed('header', err);
}
