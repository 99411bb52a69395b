// Ticket authentication from Node.js with enigma.js: the script is the trusted back end. It asks the
// QPS API for a one-time ticket (mutual TLS), redeems it on the csrftoken endpoint for a session
// cookie and its token, and opens the engine WebSocket with both.
//   node samples/ticket/ticket.mjs                  (against the demo's /ticket/ virtual proxy)
import { csrfToken, failed, finish, qps, readSales, step, trustPorticoCa, virtualProxy } from '../shared/node/flow.mjs';

trustPorticoCa();
const { prefix, base } = virtualProxy('ticket');
const user = { UserDirectory: process.env.PORTICO_DIRECTORY ?? 'DEMO', UserId: process.env.PORTICO_USER ?? 'alice' };
try {
  const { Ticket } = await qps(prefix ? `/qps/${prefix}/ticket` : '/qps/ticket', user);
  step(`ticket for ${user.UserDirectory}\\${user.UserId} from the QPS API`);
  const { token, cookie } = await csrfToken(base, { query: `?qlikTicket=${encodeURIComponent(Ticket)}` });
  finish('ticket', await readSales(base, { token, cookie }));
} catch (err) {
  failed('ticket', err);
}
