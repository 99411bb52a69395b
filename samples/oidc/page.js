// OpenID Connect, with enigma.js:
// 1. the page asks Portico whether it already has a session (GET /qps/csrftoken with the cookie);
// 2. if not, "Sign in" opens Portico's login (/{prefix}/oidc/login) in a popup: Portico sends it to
//    the provider, the user signs in there, the provider sends the popup back to Portico's redirect
//    URI, and Portico checks the code and id_token, starts a session and sets its cookie (a
//    first-party cookie: the popup is a top-level window on Portico's site). The page waits for
//    that session, then closes the popup;
// 3. the token (read through CORS) and the engine WebSocket, with the cookie, as in every sample.
import { csrfToken, engineUrl, fail, sampleSettings, show, showSales } from '/shared/flow.js';

// True once the browser holds a session cookie for this virtual proxy. Without one Portico answers
// the fetch 401 (only pages are redirected to the login; redirect: 'manual' would not follow one).
async function signedIn(proxy) {
  try {
    const response = await fetch(`${proxy}/qps/csrftoken`, { credentials: 'include', redirect: 'manual' });
    return response.headers.has('qlik-csrf-token');
  } catch {
    return false;
  }
}

function signInButton() {
  const button = document.createElement('button');
  button.id = 'sign-in';
  button.type = 'button';
  button.textContent = 'Sign in';
  document.getElementById('step-login').replaceChildren(button);
  return new Promise((resolve) => button.addEventListener('click', () => resolve(), { once: true }));
}

async function login(proxy) {
  if (await signedIn(proxy)) {
    show('step-login', 'already signed in', true);
    return;
  }

  await signInButton();
  const popup = window.open(`${proxy}/oidc/login`, 'portico-login', 'popup,width=520,height=640');
  show('step-login', 'signing in at the provider (popup)');
  const deadline = Date.now() + 5 * 60_000;
  while (!(await signedIn(proxy))) {
    if (!popup || popup.closed || Date.now() > deadline) {
      show('step-login', 'not signed in', false);
      throw new Error('the login window closed before the provider signed the user in');
    }

    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  popup.close();
  show('step-login', 'signed in at the provider', true);
}

async function main() {
  const settings = await sampleSettings();
  await login(settings.proxy);
  const token = await csrfToken(`${settings.proxy}/qps/csrftoken`, { credentials: 'include' });
  await showSales(engineUrl(settings.proxy, token), settings.appId);
}

main().catch(fail);
