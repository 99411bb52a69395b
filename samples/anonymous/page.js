// Anonymous access, with enigma.js:
// 1. no login: the virtual proxy (anonymousAccessMode AlwaysAnonymous) gives every visitor an
//    anonymous session on their first request (Set-Cookie: SameSite=None; Secure; Partitioned);
// 2. the page reads that session's token from Portico's csrftoken endpoint;
// 3. the WebSocket carries the session cookie and the token.
import { csrfToken, engineUrl, fail, sampleSettings, show, showSales } from '/shared/flow.js';

async function main() {
  const settings = await sampleSettings();
  show('step-login', 'none (anonymous)', true);
  const token = await csrfToken(`${settings.proxy}/qps/csrftoken`, { credentials: 'include' });
  await showSales(engineUrl(settings.proxy, token), settings.appId);
}

main().catch(fail);
