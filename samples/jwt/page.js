// JWT (the flow of Qlik's article and enigma.js's sense-using-jwt example), with enigma.js:
// 1. the mashup's back end signs a short-lived JWT for its signed-in user (POST /token);
// 2. the page sends it to Portico's csrftoken endpoint. The Authorization header makes this a
//    preflighted CORS request; Portico answers only allowed origins, starts an HTTP session
//    (Set-Cookie: SameSite=None; Secure; Partitioned) and returns its token in qlik-csrf-token;
// 3. the WebSocket carries the session cookie (sent by the browser) and the token (in the URL).
import { csrfToken, engineUrl, fail, sampleSettings, show, showSales } from '/shared/flow.js';

async function main() {
  const settings = await sampleSettings();
  const jwt = await (await fetch('/token', { method: 'POST' })).text();
  show('step-login', 'JWT from the mashup back end', true);
  const token = await csrfToken(`${settings.proxy}/qps/csrftoken`, {
    credentials: 'include',
    headers: { Authorization: `Bearer ${jwt}` },
  });
  await showSales(engineUrl(settings.proxy, token), settings.appId);
}

main().catch(fail);
