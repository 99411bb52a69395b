// The virtual proxy form as data: one entry per field the admin API applies (docs/admin-api.md,
// "Fields"), grouped in fieldsets. The form's inputs are built from this table, so a field is one
// line here rather than markup of its own. A group or field with `methods` is shown only for those
// authenticationMethod numbers; hidden fields keep their values and are sent only when changed.
//
// Types: text, url, textarea, number, select (Qlik's enum numbers), checkbox, lines (a list, one
// per line), json (an object or a list of objects, as JSON), secret (write-only: never filled from
// the API, left empty to keep the stored one).

const methodOptions = [[0, 'Ticket'], [1, 'Header, static user directory'], [2, 'Header, dynamic user directory'], [3, 'SAML'], [4, 'JWT'], [5, 'OIDC']];

export const groups = [
  {
    legend: 'Identity',
    fields: [
      { name: 'prefix', label: 'Prefix', hint: 'The path segment after the host, e.g. sales; empty for the default virtual proxy.' },
      { name: 'description', label: 'Description' },
      { name: 'defaultVirtualProxy', label: 'Default virtual proxy (informational, as in Qlik)', type: 'checkbox' },
    ],
  },
  {
    legend: 'Authentication',
    fields: [
      { name: 'authenticationMethod', label: 'Method', type: 'select', options: methodOptions },
      { name: 'anonymousAccessMode', label: 'Anonymous access', type: 'select', options: [[0, 'No anonymous user'], [1, 'Allow anonymous'], [2, 'Always anonymous']] },
      { name: 'authenticationModuleRedirectUri', label: 'Authentication module redirect URI', type: 'url', hint: 'Where a browser without a session is sent to log in (ticket); empty for a 401.' },
    ],
  },
  {
    legend: 'Header authentication',
    methods: [1, 2],
    fields: [
      { name: 'headerAuthenticationHeaderName', label: 'User header' },
      { name: 'headerAuthenticationStaticUserDirectory', label: 'User directory', methods: [1] },
      { name: 'headerAuthenticationDynamicUserDirectory', label: 'Dynamic user directory pattern', methods: [2] },
      { name: 'headerAuthenticationTrustedNetworks', label: 'Trusted networks (CIDR)', type: 'lines', hint: 'One per line, e.g. 10.0.0.0/8; empty trusts every source.' },
    ],
  },
  {
    legend: 'JWT',
    methods: [4],
    fields: [
      { name: 'jwtPublicKeyCertificate', label: 'JWT public key or certificate (PEM)', type: 'textarea' },
      { name: 'jwtAttributeUserId', label: 'JWT user id claim' },
      { name: 'jwtAttributeUserDirectory', label: 'JWT user directory claim' },
      { name: 'jwtAudience', label: 'JWT audience' },
      { name: 'jwtIssuer', label: 'JWT issuer' },
    ],
  },
  {
    legend: 'SAML',
    methods: [3],
    fields: [
      { name: 'samlMetadataIdP', label: 'Identity provider metadata (XML)', type: 'textarea', rows: 6, hint: 'The identity provider\'s EntityDescriptor.' },
      { name: 'samlHostUri', label: 'SAML host URI', type: 'url', hint: 'The https address users reach Portico at, e.g. https://qlik.example.com.' },
      { name: 'samlEntityId', label: 'SAML entity id' },
      { name: 'samlAttributeUserId', label: 'SAML user id attribute', hint: 'Empty: the assertion\'s NameID.' },
      { name: 'samlAttributeUserDirectory', label: 'SAML user directory attribute', hint: 'An attribute name, or a fixed directory in brackets, e.g. [CORP].' },
      { name: 'samlAttributeSigningAlgorithm', label: 'SAML signing algorithm (weakest accepted)', type: 'select', options: [[0, 'SHA-1'], [1, 'SHA-256']] },
      { name: 'samlAttributeMap', label: 'SAML attribute map (JSON)', type: 'json', hint: 'e.g. [{"samlAttribute": "groups", "senseAttribute": "group", "isMandatory": false}]' },
      { name: 'samlSlo', label: 'Single logout at the identity provider', type: 'checkbox' },
    ],
  },
  {
    legend: 'OIDC',
    methods: [5],
    fields: [
      { name: 'oidcConfigurationEndpointUri', label: 'OIDC discovery URL', type: 'url', hint: 'https://…/.well-known/openid-configuration' },
      { name: 'oidcClientId', label: 'OIDC client id' },
      { name: 'oidcClientSecret', label: 'OIDC client secret', type: 'secret' },
      { name: 'oidcClientSecretFile', label: 'OIDC client secret file', hint: 'Instead of the secret: a file that holds it.' },
      { name: 'oidcClientSecretEnv', label: 'OIDC client secret environment variable', hint: 'Instead of the secret: a variable that holds it.' },
      { name: 'oidcTrustedCaFile', label: 'OIDC trusted CA file (PEM)', hint: 'Empty: the system\'s trust store decides.' },
      { name: 'oidcRealm', label: 'OIDC realm (user directory)' },
      { name: 'oidcAttributeSub', label: 'OIDC user id claim' },
      { name: 'oidcAttributeName', label: 'OIDC name claim' },
      { name: 'oidcAttributeGroups', label: 'OIDC groups claim' },
      { name: 'oidcAttributeEmail', label: 'OIDC email claim' },
      { name: 'oidcAttributeClientId', label: 'OIDC client id claim' },
      { name: 'oidcAttributePicture', label: 'OIDC picture claim' },
      { name: 'oidcScope', label: 'OIDC scopes', hint: 'Space-separated; openid is always asked for.' },
      { name: 'oidcAttributeMap', label: 'OIDC attribute map (JSON)', type: 'json', hint: 'e.g. [{"oidcAttribute": "department", "senseAttribute": "department", "isMandatory": false}]' },
    ],
  },
  {
    legend: 'Engines and sessions',
    fields: [
      { name: 'loadBalancingServerNodes', label: 'Engine URLs', type: 'lines', hint: 'One per line, e.g. http://127.0.0.1:4747.' },
      { name: 'sessionInactivityTimeout', label: 'Session inactivity timeout (minutes)', type: 'number', min: 1 },
      { name: 'engineIdleTimeoutSeconds', label: 'Engine idle timeout (seconds)', type: 'number', min: 1, hint: 'Empty: the session inactivity timeout.' },
      { name: 'webSocketKeepAliveSeconds', label: 'WebSocket keep-alive (seconds)', type: 'number', min: 0, hint: '0 turns pings off.' },
      { name: 'engineConnection', label: 'Engine connection (JSON)', type: 'json', hint: 'Replaces the global engineConnection as a whole (docs/engines.md); empty: the global one.' },
    ],
  },
  {
    legend: 'Session cookie',
    fields: [
      { name: 'sessionCookieHeaderName', label: 'Session cookie name', hint: 'Unique per virtual proxy, e.g. X-Qlik-Session-sales.' },
      { name: 'sessionCookieDomain', label: 'Session cookie domain', hint: 'Empty: the host the browser asked for.' },
      { name: 'sameSiteAttributeHttps', label: 'SameSite', type: 'select', options: [[0, 'No attribute'], [1, 'None'], [2, 'Lax'], [3, 'Strict']] },
      { name: 'hasSecureAttributeHttps', label: 'Secure attribute', type: 'checkbox' },
      { name: 'sessionCookiePartitioned', label: 'Partitioned (CHIPS, needs Secure)', type: 'checkbox' },
    ],
  },
  {
    legend: 'Responses',
    fields: [
      { name: 'additionalResponseHeaders', label: 'Additional response headers', type: 'textarea', hint: 'One "Name: value" per line, added to every response of this virtual proxy.' },
    ],
  },
];

const inputId = (name) => `vp-${name}`;

function control(field) {
  const type = field.type ?? 'text';
  let input;
  if (type === 'select') {
    input = document.createElement('select');
    for (const [value, text] of field.options) input.append(new Option(text, String(value)));
    input.dataset.type = 'number';
  } else if (['textarea', 'lines', 'json'].includes(type)) {
    input = document.createElement('textarea');
    input.rows = field.rows ?? 3;
    input.spellcheck = false;
    if (type !== 'textarea') input.dataset.type = type;
  } else {
    input = document.createElement('input');
    input.autocomplete = 'off';
    input.spellcheck = false;
    if (type === 'number') {
      input.type = 'number';
      input.inputMode = 'numeric';
      if (field.min !== undefined) input.min = String(field.min);
      input.dataset.type = 'number';
    } else if (type === 'checkbox') {
      input.type = 'checkbox';
      input.dataset.type = 'checkbox';
    } else if (type === 'secret') {
      // Write-only: the browser may offer to generate one, never to fill a stored one in.
      input.type = 'password';
      input.autocomplete = 'new-password';
      input.dataset.type = 'secret';
    } else if (type === 'url') {
      input.type = 'url';
    }
  }
  input.id = inputId(field.name);
  input.name = field.name;
  return input;
}

function fieldElement(field) {
  const wrapper = document.createElement('div');
  wrapper.className = field.type === 'checkbox' ? 'field check' : 'field';
  if (field.methods) wrapper.dataset.method = field.methods.join(' ');
  const label = document.createElement('label');
  label.htmlFor = inputId(field.name);
  label.textContent = field.label;
  const input = control(field);
  const parts = [label];
  const hintText = field.type === 'secret' ? 'Write-only: never shown once saved. On an edit, leave it empty to keep the stored secret.' : field.hint;
  if (hintText) {
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.id = `${input.id}-hint`;
    hint.textContent = hintText;
    input.setAttribute('aria-describedby', hint.id);
    parts.push(hint);
  }
  // A checkbox reads best with its label after it.
  wrapper.append(...(field.type === 'checkbox' ? [input, ...parts] : [...parts, input]));
  if (field.type === 'secret') {
    const clear = document.createElement('label');
    clear.className = 'clear-secret';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.clearSecret = field.name;
    box.id = `${input.id}-clear`;
    clear.append(box, ' Remove the stored secret');
    clear.hidden = true;
    wrapper.append(clear);
  }
  return wrapper;
}

/** The fieldsets of the table, for the form to insert before its origins. */
export function renderGroups() {
  return groups.map((group) => {
    const fieldset = document.createElement('fieldset');
    if (group.methods) fieldset.dataset.method = group.methods.join(' ');
    const legend = document.createElement('legend');
    legend.textContent = group.legend;
    fieldset.append(legend, ...group.fields.map(fieldElement));
    return fieldset;
  });
}
