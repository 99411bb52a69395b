// The session API from Node.js with enigma.js: the script is the trusted back end. It creates a
// proxy session for its user (POST /qps/{prefix}/session, mutual TLS), presents the session id as
// the virtual proxy's session cookie, reads that session's token, and opens the engine WebSocket.
//   node samples/session-api/session-api.mjs        (against the demo's /ticket/ virtual proxy)
// PORTICO_COOKIE names the session cookie (the virtual proxy's sessionCookieHeaderName).
import { csrfToken, failed, finish, qps, readSales, step, trustPorticoCa, virtualProxy } from '../shared/node/flow.mjs';

trustPorticoCa();
const { prefix, base } = virtualProxy('ticket');
const cookieName = process.env.PORTICO_COOKIE ?? `X-Qlik-Session-${prefix}`;
const user = { UserDirectory: process.env.PORTICO_DIRECTORY ?? 'DEMO', UserId: process.env.PORTICO_USER ?? 'alice' };
try {
  const { SessionId } = await qps(prefix ? `/qps/${prefix}/session` : '/qps/session', user);
  step(`session for ${user.UserDirectory}\\${user.UserId} from the QPS API, sent as the ${cookieName} cookie`);
  const { token, cookie } = await csrfToken(base, { headers: { Cookie: `${cookieName}=${SessionId}` } });
  finish('session-api', await readSales(base, { token, cookie }));
} catch (err) {
  failed('session-api', err);
}
