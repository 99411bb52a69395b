// The console's entry: hash routes (#/proxies, #/proxies/new, #/proxies/{id}, #/sessions,
// #/engines, #/audit), each rendered by its page module into <main>.

import { announce, describeFailure } from './dom.js';
import * as proxies from './proxies.js';
import * as sessions from './sessions.js';
import * as engines from './engines.js';
import * as audit from './audit.js';

const routes = [
  { pattern: /^#\/proxies\/new$/, section: 'proxies', render: (main) => proxies.renderForm(main, null) },
  { pattern: /^#\/proxies\/([0-9a-f-]{36})$/i, section: 'proxies', render: (main, id) => proxies.renderForm(main, id) },
  { pattern: /^#\/proxies$/, section: 'proxies', render: proxies.renderList },
  { pattern: /^#\/sessions$/, section: 'sessions', render: sessions.render },
  { pattern: /^#\/engines$/, section: 'engines', render: engines.render },
  { pattern: /^#\/audit$/, section: 'audit', render: audit.render },
];

const titles = { proxies: 'Virtual proxies', sessions: 'Sessions', engines: 'Engine nodes', audit: 'Audit log' };
let firstRender = true;

async function route() {
  const hash = window.location.hash || '#/proxies';
  const match = routes.map((r) => ({ r, m: r.pattern.exec(hash) })).find((x) => x.m);
  if (!match) {
    window.location.replace('#/proxies');
    return;
  }

  for (const link of document.querySelectorAll('nav a[data-route]')) {
    if (link.dataset.route === match.r.section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${titles[match.r.section]} · Portico console`;

  const main = document.getElementById('main');
  main.setAttribute('aria-busy', 'true');
  try {
    await match.r.render(main, ...match.m.slice(1));
  } catch (error) {
    announce(describeFailure(error), 'error');
  } finally {
    main.removeAttribute('aria-busy');
    main.dataset.page = hash;
  }

  // After navigation (not the first load), focus goes to the new page like a page load would.
  if (!firstRender) (main.querySelector('h1[tabindex]') ?? main).focus();
  firstRender = false;
}

window.addEventListener('hashchange', route);
route();
