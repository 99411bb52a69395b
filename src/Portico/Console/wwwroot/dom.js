// Small DOM helpers shared by the pages: templates, text, the status line. Text only ever goes
// in through textContent, so nothing an API returns is parsed as HTML.

/** A copy of <template id="tpl-{name}">'s content. */
export function fromTemplate(name) {
  const template = document.getElementById(`tpl-${name}`);
  if (!template) throw new Error(`No template tpl-${name}`);
  return template.content.cloneNode(true);
}

/** The first element of a template copy, e.g. a <tr>. */
export function elementFromTemplate(name) {
  return fromTemplate(name).firstElementChild;
}

/** Sets textContent of every [data-field] in root from values. */
export function fillFields(root, values) {
  for (const element of root.querySelectorAll('[data-field]')) {
    const value = values[element.dataset.field];
    element.textContent = value === undefined || value === null ? '' : String(value);
  }
}

/** Replaces a table body's rows; with none, one row saying message. */
export function setRows(tbody, rows, message) {
  tbody.replaceChildren(...rows);
  if (rows.length === 0) {
    const row = elementFromTemplate('empty-row');
    const cell = row.querySelector('td');
    cell.colSpan = tbody.closest('table').querySelectorAll('thead th').length;
    cell.textContent = message;
    tbody.append(row);
  }
}

let statusTimer;

/** Shows and announces (role=status) the result of an action. kind: 'ok' or 'error'. */
export function announce(message, kind = 'ok') {
  const status = document.getElementById('status');
  window.clearTimeout(statusTimer);
  status.textContent = '';
  status.dataset.kind = kind;
  // A fresh text node after clearing makes screen readers announce a repeated message again.
  window.requestAnimationFrame(() => { status.textContent = message; });
  // Errors stay longer, to be read; the next action's message replaces either.
  statusTimer = window.setTimeout(() => { status.textContent = ''; }, kind === 'ok' ? 8000 : 20000);
}

/** An ApiError or any other failure as one sentence for the status line. */
export function describeFailure(error) {
  if (error?.name === 'ApiError') {
    const code = error.code ? ` (${error.code})` : '';
    // A refused change (e.g. deleting the console's own virtual proxy) says why in its errors.
    const reasons = error.errors.map((e) => e.message).filter(Boolean).join(' ');
    return `${error.message}${code}${reasons ? `: ${reasons}` : ''}`;
  }
  return `Portico could not be reached: ${error?.message ?? error}`;
}

/** A QRS date (2026-05-01T12:34:56.789Z) in the reader's locale; empty stays empty. */
export function formatDate(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** DIRECTORY\user from the parts an API answer carries. */
export function userName(directory, id) {
  if (!directory && !id) return '';
  return directory ? `${directory}\\${id ?? ''}` : id;
}
