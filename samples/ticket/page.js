// Ticket, with enigma.js:
// 1. the mashup's back end asks Portico's QPS API for a one-time ticket for its signed-in user
//    (POST /ticket → POST /qps/{prefix}/ticket, mutual TLS);
// 2. the page redeems it on Portico's csrftoken endpoint (?qlikTicket=…): Portico starts a
//    session (Set-Cookie: SameSite=None; Secure; Partitioned), redirects to the same URL without
//    the ticket, and answers that with the session's token in qlik-csrf-token;
// 3. the WebSocket carries the session cookie and the token. (A ticket in the WebSocket URL itself
//    works too and needs no token: see README.md.)
import { csrfToken, engineUrl, fail, getJson, sampleSettings, show, showSales } from '/shared/flow.js';

async function main() {
  const settings = await sampleSettings();
  const { ticket } = await getJson('/ticket', { method: 'POST' });
  show('step-login', 'ticket from the mashup back end', true);
  const token = await csrfToken(`${settings.proxy}/qps/csrftoken?qlikTicket=${encodeURIComponent(ticket)}`, { credentials: 'include' });
  await showSales(engineUrl(settings.proxy, token), settings.appId);
}

main().catch(fail);
