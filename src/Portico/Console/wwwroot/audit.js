// The audit log: the node's recent events, newest first, filtered by user, virtual proxy and
// decision (GET api/qrs/portico/audit).

import { get, query } from './api.js';
import { announce, describeFailure, elementFromTemplate, fillFields, formatDate, fromTemplate, setRows, userName } from './dom.js';

/** What an event did, in a few words: its reason, detail, diff fields or errors. */
function detailOf(event) {
  const parts = [];
  if (event.reason) parts.push(event.reason);
  if (event.detail) parts.push(event.detail);
  if (event.before || event.after) {
    const prefix = (event.after ?? event.before)?.prefix;
    if (prefix !== undefined) parts.push(`prefix ${prefix === '' ? '(default)' : prefix}`);
  }
  if (Array.isArray(event.errors)) parts.push(...event.errors);
  if (event.origin) parts.push(`origin ${event.origin}`);
  return parts.join('; ');
}

async function load(form, tbody) {
  const data = new FormData(form);
  const events = await get(`qrs/portico/audit${query(Object.fromEntries(data))}`);
  const rows = events.map((event) => {
    const row = elementFromTemplate('audit-row');
    fillFields(row, {
      time: formatDate(event.time),
      event: event.event,
      outcome: event.outcome,
      actor: event.actor,
      user: userName(event.userDirectory, event.userId),
      virtualProxy: event.virtualProxy === '' ? '(default)' : event.virtualProxy,
      detail: detailOf(event),
    });
    row.dataset.event = event.event;
    row.querySelector('[data-field="outcome"]').className = `outcome-${event.outcome}`;
    return row;
  });
  setRows(tbody, rows, 'No audit events match.');
  return events.length;
}

export async function render(main) {
  const page = fromTemplate('audit');
  const form = page.querySelector('[data-filters]');
  const tbody = page.querySelector('[data-rows]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const count = await load(form, tbody);
      announce(`${count} audit ${count === 1 ? 'event' : 'events'} shown.`);
    } catch (error) {
      announce(describeFailure(error), 'error');
    }
  });
  main.replaceChildren(page);
  await load(form, tbody);
}
