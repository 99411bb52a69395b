// A SAML 2.0 identity provider for Portico's tests, built on samlify (a real IdP implementation):
// it reads Portico's AuthnRequest (HTTP-Redirect binding), signs a Response for the user the test
// names, and answers Portico's LogoutRequest. Listens on 127.0.0.1 on a port the OS picks and prints
// one JSON line {"port", "metadata"} when ready; ends when stdin closes (its test ended).
//
// Input (one JSON argument): {"privateKeyPem", "certificatePem", "entityId"?, "signatureAlgorithm"?: "sha1"|"sha256", "port"?}
// ("port": a fixed port, for samples/saml whose Portico config holds this IdP's metadata; default: one the OS picks)
// Endpoints:
//   POST /sp               the SP metadata (Portico's /{prefix}/saml/metadata), before any login
//   GET  /sso?SAMLRequest… logs in ?login=NAME (default alice) and answers the auto-posting form;
//                          with &format=json answers {acs, samlResponse, relayState} instead
//   GET  /slo?SAMLRequest… records the LogoutRequest and redirects to the SP with a LogoutResponse
//   GET  /logouts          the NameIDs of the LogoutRequests received so far
import http from 'node:http';
import samlify from 'samlify';
import { readInput } from '../script-input.mjs';

const input = readInput('saml/idp.mjs', 'privateKeyPem');
if (typeof input.certificatePem !== 'string') {
  process.stderr.write('saml/idp.mjs: "certificatePem" is required\n');
  process.exit(2);
}

// samlify asks its caller for an XML schema validator; the SP under test is what validates here.
samlify.setSchemaValidator({ validate: () => Promise.resolve('skipped') });

const users = {
  alice: { nameId: 'alice', email: 'alice@example.com', group: 'sales' },
  bob: { nameId: 'bob', email: 'bob@example.com', group: 'finance' },
};
const signatureAlgorithms = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
};
const attribute = (name) => ({
  name,
  valueTag: name,
  nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
  valueXsiType: 'xs:string',
});

let sp = null;
let idp = null;
const logouts = [];

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    if (req.method === 'POST' && url.pathname === '/sp') {
      sp = samlify.ServiceProvider({ metadata: await body(req) });
      return send(res, 204, '', 'text/plain');
    }
    if (req.method === 'GET' && url.pathname === '/logouts') {
      return send(res, 200, JSON.stringify(logouts), 'application/json');
    }
    if (!sp) return send(res, 409, 'POST the SP metadata to /sp first', 'text/plain');
    if (req.method === 'GET' && url.pathname === '/sso') {
      const { extract } = await idp.parseLoginRequest(sp, 'redirect', { query, octetString: octetString(req.url) });
      const user = users[query.login ?? 'alice'];
      if (!user) return send(res, 404, 'no such user', 'text/plain');
      const now = new Date();
      const later = new Date(now.getTime() + 5 * 60 * 1000);
      const acs = sp.entityMeta.getAssertionConsumerService('post');
      const acsUrl = Array.isArray(acs) ? acs[0] : acs;
      const id = '_' + crypto.randomUUID();
      const { context } = await idp.createLoginResponse(sp, { extract }, 'post', {}, {
        customTagReplacement: (template) => ({
          id,
          context: samlify.SamlLib.replaceTagsByValue(template, {
            ID: id,
            AssertionID: '_' + crypto.randomUUID(),
            Destination: acsUrl,
            Audience: sp.entityMeta.getEntityID(),
            SubjectRecipient: acsUrl,
            Issuer: idp.entityMeta.getEntityID(),
            IssueInstant: now.toISOString(),
            StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
            ConditionsNotBefore: now.toISOString(),
            ConditionsNotOnOrAfter: later.toISOString(),
            SubjectConfirmationDataNotOnOrAfter: later.toISOString(),
            NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
            NameID: user.nameId,
            InResponseTo: extract.request.id,
            AuthnStatement: `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
            attrEmail: user.email,
            attrGroup: user.group,
          }),
        }),
      });
      if (query.format === 'json') {
        return send(res, 200, JSON.stringify({ acs: acsUrl, samlResponse: context, relayState: query.RelayState ?? null }), 'application/json');
      }
      const relay = query.RelayState ? `<input type="hidden" name="RelayState" value="${escape(query.RelayState)}"/>` : '';
      return send(res, 200, `<!doctype html><html><body><form method="post" action="${escape(acsUrl)}"><input type="hidden" name="SAMLResponse" value="${context}"/>${relay}<noscript><button>Continue</button></noscript></form><script>document.forms[0].submit()</script></body></html>`, 'text/html');
    }
    if (req.method === 'GET' && url.pathname === '/slo') {
      const { extract } = await idp.parseLogoutRequest(sp, 'redirect', { query, octetString: octetString(req.url) });
      logouts.push(extract.nameID ?? null);
      const { context } = idp.createLogoutResponse(sp, { extract }, 'redirect', query.RelayState ?? '');
      res.writeHead(302, { Location: context });
      return res.end();
    }
    return send(res, 404, 'not found', 'text/plain');
  } catch (err) {
    return send(res, 400, String(err?.message ?? err), 'text/plain');
  }
});

// The signed part of a Redirect-binding message is the query exactly as sent.
function octetString(rawUrl) {
  const q = rawUrl.slice(rawUrl.indexOf('?') + 1).split('&');
  const pick = (name) => q.find((p) => p.startsWith(name + '='));
  return ['SAMLRequest', 'RelayState', 'SigAlg'].map(pick).filter(Boolean).join('&');
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function send(res, status, text, type) {
  res.writeHead(status, { 'Content-Type': type });
  res.end(text);
}

function body(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { text += chunk; if (text.length > 1_000_000) req.destroy(); });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

server.listen(input.port ?? 0, '127.0.0.1', () => {
  const port = server.address().port;
  const base = `http://127.0.0.1:${port}`;
  idp = samlify.IdentityProvider({
    entityID: input.entityId ?? `${base}/idp`,
    privateKey: input.privateKeyPem,
    signingCert: input.certificatePem,
    requestSignatureAlgorithm: signatureAlgorithms[input.signatureAlgorithm ?? 'sha256'],
    // Portico signs what it sends; samlify checks it with the certificate in Portico's SP metadata.
    wantAuthnRequestsSigned: true,
    wantLogoutRequestSigned: true,
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'],
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${base}/sso` }],
    singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${base}/slo` }],
    loginResponseTemplate: {
      context: samlify.SamlLib.defaultLoginResponseTemplate.context,
      attributes: [attribute('email'), attribute('group')],
    },
  });
  process.stdout.write(JSON.stringify({ port, metadata: idp.getMetadata() }) + '\n');
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
