// The session API, with enigma.js. The page is on another origin than Portico but on its domain
// (app.proxy.test and proxy.test), because the session cookie is set by the back end:
// 1. the back end creates the proxy session for its signed-in user (POST /session →
//    POST /qps/{prefix}/session, mutual TLS) and sets Portico's session cookie on Portico's domain
//    (Set-Cookie: X-Qlik-Session-session-api=…; Domain=proxy.test; Secure; HttpOnly; SameSite=Lax);
// 2. the page reads that session's token from Portico's csrftoken endpoint (the cookie goes along:
//    same site);
// 3. the WebSocket carries the session cookie and the token.
import { csrfToken, engineUrl, fail, sampleSettings, show, showSales } from '/shared/flow.js';

async function main() {
  const settings = await sampleSettings();
  const session = await fetch('/session', { method: 'POST' });
  show('step-login', session.ok ? 'session created by the back end' : `back end answered ${session.status}`, session.ok);
  const token = await csrfToken(`${settings.proxy}/qps/csrftoken`, { credentials: 'include' });
  await showSales(engineUrl(settings.proxy, token), settings.appId);
}

main().catch(fail);
