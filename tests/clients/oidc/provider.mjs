// A real OpenID provider (npm oidc-provider, OpenID-certified) for Portico's OIDC tests: HTTPS on
// 127.0.0.1 with a free port and the certificate the test made, one confidential client
// registered with Portico's redirect URI, and a login page that signs in whoever types a user name
// (a test user directory). Prints {"issuer": "..."} once it listens; ends on SIGTERM or when its
// parent's stdin closes.
//
// Argument (JSON): {"certPath", "keyPath", "clientId", "clientSecret", "redirectUris": [...],
//                   "postLogoutRedirectUris": [...], "port" (optional; a free one when absent)}
import https from 'node:https';
import fs from 'node:fs';
import Provider from 'oidc-provider';
import { readInput } from '../script-input.mjs';

const input = readInput('oidc/provider.mjs', 'clientId');
const users = {
  alice: { sub: 'alice', name: 'Alice Example', email: 'alice@example.test', groups: ['Sales', 'Analysts'] },
  bob: { sub: 'bob', name: 'Bob Example', email: 'bob@example.test', groups: ['Finance'] },
};

const server = https.createServer({ cert: fs.readFileSync(input.certPath), key: fs.readFileSync(input.keyPath) });
await new Promise((resolve) => server.listen(input.port ?? 0, '127.0.0.1', resolve));
const issuer = `https://localhost:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: input.clientId,
    client_secret: input.clientSecret,
    redirect_uris: input.redirectUris,
    post_logout_redirect_uris: input.postLogoutRedirectUris ?? [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  findAccount: async (_ctx, id) => (users[id] ? { accountId: id, claims: async () => users[id] } : undefined),
  claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
  scopes: ['openid', 'profile', 'email', 'groups'],
  // Portico reads the user's claims from the id_token.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['portico-tests-only'] },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});

const page = (uid, message) => `<!doctype html><html><head><title>Test provider login</title></head><body>
<h1>Sign in to the test provider</h1>${message ? `<p id="error">${message}</p>` : ''}
<form method="post" action="/interaction/${uid}"><label>User <input id="login" name="login" autocomplete="off"></label>
<button id="submit" type="submit">Sign in</button></form></body></html>`;

provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(ctx.path);
  if (!match) return next();
  const uid = match[1];
  ctx.set('Cache-Control', 'no-store');
  if (ctx.method === 'GET') {
    await provider.interactionDetails(ctx.req, ctx.res);
    ctx.type = 'html';
    ctx.body = page(uid);
    return undefined;
  }
  if (ctx.method !== 'POST') return next();
  const body = await new Promise((resolve) => {
    let text = '';
    ctx.req.on('data', (chunk) => { text += chunk; if (text.length > 4096) ctx.req.destroy(); });
    ctx.req.on('end', () => resolve(text));
  });
  const accountId = new URLSearchParams(body).get('login');
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (!users[accountId]) {
    ctx.type = 'html';
    ctx.body = page(uid, 'Unknown user');
    return undefined;
  }
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  const redirectTo = await provider.interactionResult(ctx.req, ctx.res,
    { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(redirectTo);
  return undefined;
});

server.on('request', provider.callback());
process.stdout.write(JSON.stringify({ issuer }) + '\n');

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
