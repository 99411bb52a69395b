// Anonymous access from Node.js with enigma.js: no login; the first request gets an anonymous
// session, whose cookie and token open the engine WebSocket.
//   node samples/anonymous/anonymous.mjs            (against the demo's default virtual proxy)
import { csrfToken, failed, finish, readSales, step, trustPorticoCa, virtualProxy } from '../shared/node/flow.mjs';

trustPorticoCa();
const { base } = virtualProxy('');
try {
  step('no login: the virtual proxy lets everyone in anonymously');
  const { token, cookie } = await csrfToken(base);
  finish('anonymous', await readSales(base, { token, cookie }));
} catch (err) {
  failed('anonymous', err);
}
