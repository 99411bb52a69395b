// The console's one door to Portico: the admin API mounted under the console's api/, on the
// session cookie. Writes carry the session's qlik-csrf-token (docs/security.md, "CSRF").

const consoleRoot = (() => {
  const path = window.location.pathname;
  const at = path.indexOf('/console/');
  return at >= 0 ? path.slice(0, at + '/console/'.length) : path.replace(/\/?$/, '/');
})();

const csrfTokenUrl = new URL('../qps/csrftoken', new URL(consoleRoot, window.location.origin));
const tokenHeader = 'qlik-csrf-token';
const staleTokenCode = 'CSRF-TOKEN-2';

/** An answer other than 2xx: its status and its JSON body (or null). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `Portico answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }

  /** The machine-readable code, whichever way the answer spells it. */
  get code() {
    return this.body?.code ?? this.body?.error ?? null;
  }

  /** Validation errors: [{ path, field, message, code }]. */
  get errors() {
    return Array.isArray(this.body?.errors) ? this.body.errors : [];
  }
}

let csrfToken = null;

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}

async function fetchCsrfToken() {
  const response = await fetch(csrfTokenUrl, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new ApiError(response.status, await readBody(response));
  csrfToken = response.headers.get(tokenHeader);
  if (!csrfToken) throw new ApiError(response.status, { message: 'Portico gave no qlik-csrf-token.' });
}

function send(method, url, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[tokenHeader] = csrfToken;
  return fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    // A session that ended may be sent to a login page: say so rather than follow it.
    redirect: 'manual',
  });
}

/**
 * Calls api/{path} relative to the console and returns the JSON body (null for 204).
 * Throws ApiError for any other answer. A write whose token Portico no longer knows
 * (403 CSRF-TOKEN-2) fetches a new token and is tried once more.
 */
export async function request(method, path, body) {
  const url = new URL(`api/${path}`, new URL(consoleRoot, window.location.origin));
  const isWrite = method !== 'GET';
  if (isWrite && !csrfToken) await fetchCsrfToken();

  let response = await send(method, url, body);
  if (isWrite && response.status === 403) {
    const refusal = await readBody(response.clone());
    if (refusal?.code === staleTokenCode) {
      await fetchCsrfToken();
      response = await send(method, url, body);
    }
  }

  if (response.type === 'opaqueredirect') {
    throw new ApiError(401, { code: 'signed_out', message: 'Your session has ended: sign in again and reload the console.' });
  }

  const answer = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);
