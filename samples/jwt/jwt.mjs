// JWT authentication from Node.js with @qlik/api: the script signs a short-lived RS256 JWT with the
// demo's published key and hands it to @qlik/api (hostConfig.getAccessToken), which does the CSRF
// flow itself: the JWT as a bearer on an HTTP request (Portico starts a session and sets its
// cookie), the token from /qps/csrftoken, and the engine WebSocket with the cookie and the token.
//   node samples/jwt/jwt.mjs                        (against the demo's /jwt/ virtual proxy)
// PORTICO_JWT_KEY names the private key, PORTICO_JWT_AUDIENCE the audience.
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openAppSession } from '@qlik/api/qix';
import { failed, finish, salesByRegion, settings, step, trustPorticoCa, virtualProxy } from '../shared/node/flow.mjs';

trustPorticoCa();
const { base } = virtualProxy('jwt');
const keyFile = process.env.PORTICO_JWT_KEY ?? fileURLToPath(new URL('demo-jwt-private-key.pem', import.meta.url));
const claims = { userId: process.env.PORTICO_USER ?? 'alice', userDirectory: process.env.PORTICO_DIRECTORY ?? 'DEMO', aud: process.env.PORTICO_JWT_AUDIENCE ?? 'portico-demo' };

function signJwt() {
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ ...claims, iat: now, exp: now + 300 })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(readFileSync(keyFile), 'base64url')}`;
}

try {
  const hostConfig = { host: base, authType: 'windowscookie', getAccessToken: async () => signJwt() };
  step(`JWT for ${claims.userDirectory}\\${claims.userId} (audience ${claims.aud}), given to @qlik/api`);
  const session = openAppSession({ appId: settings.appId, hostConfig });
  session.onWebSocketEvent((event) => { if (event.eventType === 'opened') step('engine WebSocket open (@qlik/api read the qlik-csrf-token first)'); });
  const doc = await session.getDoc();
  finish('jwt', { user: `UserDirectory=${claims.userDirectory}; UserId=${claims.userId}`, rows: await salesByRegion(doc) });
} catch (err) {
  failed('jwt', err);
}
