// Live sessions with revoke (GET api/qrs/portico/session, DELETE api/qrs/portico/session/{id}).
// A revoked session's sockets get Qlik's session notification and close.

import { del, get, query } from './api.js';
import { announce, describeFailure, elementFromTemplate, fillFields, formatDate, fromTemplate, setRows, userName } from './dom.js';

const allProxies = '*';

async function fillProxyChoices(select) {
  const proxies = await get('qrs/virtualproxyconfig');
  select.querySelector('option').value = allProxies;
  for (const proxy of proxies.sort((a, b) => a.prefix.localeCompare(b.prefix))) {
    const option = document.createElement('option');
    option.value = proxy.prefix;
    option.textContent = proxy.prefix === '' ? '(default)' : proxy.prefix;
    select.append(option);
  }
}

function filterQuery(form) {
  const data = new FormData(form);
  const params = { userDirectory: data.get('userDirectory'), userId: data.get('userId') };
  const text = query(params);
  const proxy = data.get('virtualProxy');
  if (proxy === allProxies) return text;
  // The default virtual proxy's prefix is empty, and virtualProxy= still narrows to it.
  return `${text ? `${text}&` : '?'}virtualProxy=${encodeURIComponent(proxy)}`;
}

async function revoke(session, button, reload) {
  const who = userName(session.userDirectory, session.userId);
  button.disabled = true;
  try {
    await del(`qrs/portico/session/${encodeURIComponent(session.id)}`);
    announce(`Session of ${who} revoked.`);
    await reload();
  } catch (error) {
    button.disabled = false;
    announce(describeFailure(error), 'error');
  }
}

async function load(form, tbody) {
  const list = await get(`qrs/portico/session${filterQuery(form)}`);
  const reload = () => load(form, tbody);
  const rows = list.map((session) => {
    const row = elementFromTemplate('session-row');
    fillFields(row, {
      user: userName(session.userDirectory, session.userId),
      virtualProxy: session.virtualProxy === '' ? '(default)' : session.virtualProxy,
      engineNode: session.engineNode,
      createdAt: formatDate(session.createdAt),
      lastActivityAt: formatDate(session.lastActivityAt),
    });
    row.dataset.sessionUser = userName(session.userDirectory, session.userId);
    const button = row.querySelector('[data-action="revoke"]');
    button.setAttribute('aria-label', `Revoke the session of ${userName(session.userDirectory, session.userId)}`);
    button.addEventListener('click', () => revoke(session, button, reload));
    return row;
  });
  setRows(tbody, rows, 'No live sessions match.');
}

export async function render(main) {
  const page = fromTemplate('sessions');
  const form = page.querySelector('[data-filters]');
  const tbody = page.querySelector('[data-rows]');
  const refresh = async () => {
    try {
      await load(form, tbody);
      announce('Sessions refreshed.');
    } catch (error) {
      announce(describeFailure(error), 'error');
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    refresh();
  });
  page.querySelector('[data-action="refresh"]').addEventListener('click', refresh);
  main.replaceChildren(page);
  await fillProxyChoices(form.elements.virtualProxy);
  await load(form, tbody);
}
