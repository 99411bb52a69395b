// Header authentication, with enigma.js. The browser never sets the header: it talks to the
// trusted front (the sample back end's /front/, on its own site), which forwards to Portico with
// X-Portico-User set from the front's own login, from the one address Portico trusts for it.
// 1. the page asks the front for Portico's csrftoken endpoint; Portico logs the user in from the
//    header (one session per user, found again on every request) and answers with its token;
// 2. the WebSocket goes through the front too, with the token: no cookie is needed at all.
import { csrfToken, engineUrl, fail, sampleSettings, show, showSales } from '/shared/flow.js';

async function main() {
  const settings = await sampleSettings();
  const front = `${settings.frontUrl}/front/${settings.prefix}`;
  show('proxy-origin', `${front}/ (the front of ${settings.proxy}/)`);
  show('step-login', 'by the trusted front', true);
  const token = await csrfToken(`${front}/qps/csrftoken`);
  await showSales(engineUrl(front, token), settings.appId);
}

main().catch(fail);
