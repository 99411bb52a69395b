// Virtual proxies: the list, create and edit (validated by a dry run whose diff is shown before
// apply), delete with confirmation, and the origin allow list with a server-side check per origin.
// The API is the QRS one (docs/admin-api.md): POST/PUT ?dryRun=true, 400 { errors: [{ field, … }] },
// PUT carries the modifiedDate it read (409 when stale).

import { ApiError, del, get, post, put } from './api.js';
import { announce, describeFailure, elementFromTemplate, fillFields, formatDate, fromTemplate, setRows } from './dom.js';
import { renderGroups } from './fields.js';

const methods = { 0: 'Ticket', 1: 'Header (static directory)', 2: 'Header (dynamic directory)', 3: 'SAML', 4: 'JWT', 5: 'OIDC' };
const anonymousModes = { 0: 'No anonymous user', 1: 'Allow anonymous', 2: 'Always anonymous' };

const displayPrefix = (prefix) => (prefix === '' ? '(default)' : `/${prefix}/`);
const engineUrl = (node) => (typeof node === 'string' ? node : node?.hostName ?? node?.name ?? '');

// ---- the list ---------------------------------------------------------------------------------

function confirmDelete(proxy) {
  const dialog = elementFromTemplate('confirm');
  dialog.querySelector('#confirm-text').textContent =
    `Delete the virtual proxy ${displayPrefix(proxy.prefix)}? Its sessions end and its URLs stop working.`;
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    }, { once: true });
    dialog.showModal();
  });
}

async function deleteProxy(proxy, reload, opener) {
  if (!(await confirmDelete(proxy))) {
    opener.focus();
    return;
  }
  try {
    await del(`qrs/virtualproxyconfig/${proxy.id}`);
    announce(`Virtual proxy ${displayPrefix(proxy.prefix)} deleted.`);
    await reload();
    document.getElementById('proxies-title')?.focus();
  } catch (error) {
    announce(describeFailure(error), 'error');
    opener.focus();
  }
}

async function loadList(tbody) {
  const list = await get('qrs/virtualproxyconfig/full');
  list.sort((a, b) => a.prefix.localeCompare(b.prefix));
  const rows = list.map((proxy) => {
    const row = elementFromTemplate('proxy-row');
    fillFields(row, {
      prefix: displayPrefix(proxy.prefix),
      description: proxy.description,
      authenticationMethod: methods[proxy.authenticationMethod] ?? proxy.authenticationMethod,
      anonymousAccessMode: anonymousModes[proxy.anonymousAccessMode] ?? proxy.anonymousAccessMode,
      engines: (proxy.loadBalancingServerNodes ?? []).map(engineUrl).join(', '),
      modifiedDate: formatDate(proxy.modifiedDate),
    });
    row.dataset.prefix = proxy.prefix;
    const link = row.querySelector('a[data-field="prefix"]');
    link.href = `#/proxies/${proxy.id}`;
    const edit = row.querySelector('[data-action="edit"]');
    edit.href = `#/proxies/${proxy.id}`;
    edit.setAttribute('aria-label', `Edit ${displayPrefix(proxy.prefix)}`);
    const remove = row.querySelector('[data-action="delete"]');
    remove.setAttribute('aria-label', `Delete ${displayPrefix(proxy.prefix)}`);
    remove.addEventListener('click', () => deleteProxy(proxy, () => loadList(tbody), remove));
    return row;
  });
  setRows(tbody, rows, 'No virtual proxies are configured.');
}

export async function renderList(main) {
  const page = fromTemplate('proxies');
  const tbody = page.querySelector('[data-rows]');
  main.replaceChildren(page);
  await loadList(tbody);
}

// ---- the form -----------------------------------------------------------------------------------

/** The inputs that carry an entity field (the "add an origin" box only names the field for errors). */
const fieldInputs = (form) => [...form.elements].filter((e) => e.name && !('originNew' in e.dataset));

/** A field whose text the page could not read (JSON that does not parse), shown at its input like the API's errors. */
class InputError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

function readInput(input) {
  const text = input.value.trim();
  switch (input.dataset.type) {
    case 'number':
      return text === '' ? null : Number(text);
    case 'lines':
      return input.value.split('\n').map((line) => line.trim()).filter(Boolean);
    case 'checkbox':
      return input.checked;
    case 'json':
      if (text === '') return null;
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new InputError(input.name, `is not valid JSON (${error.message}); write a list of objects, as the hint shows, or leave it empty.`);
      }
    default:
      return input.value === '' ? null : input.value;
  }
}

function writeInput(input, value) {
  switch (input.dataset.type) {
    case 'secret':
      // Write-only: whatever the API returns for a secret never goes back into the page.
      input.value = '';
      break;
    case 'checkbox':
      input.checked = value === true;
      break;
    case 'lines':
      input.value = (value ?? []).map(engineUrl).join('\n');
      break;
    case 'json':
      input.value = isEmpty(value ?? null) ? '' : JSON.stringify(value, null, 2);
      break;
    default:
      input.value = value === undefined || value === null ? '' : String(value);
  }
}

function isEmpty(value) {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The request body: for a new virtual proxy the fields given that differ from Portico's defaults
 * (the prefix always, so an empty one is validated); for an edit only what changed, with the
 * modifiedDate it read (PUT is a merge).
 */
function buildBody(form, entity, origins, defaults) {
  const body = {};
  const errors = [];
  for (const input of fieldInputs(form)) {
    let value;
    try {
      value = readInput(input);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push({ field: error.field, message: error.message });
      continue;
    }
    if (input.dataset.type === 'secret') {
      // An empty secret input means "unchanged"; clearing one is its own, explicit choice.
      const clear = form.querySelector(`[data-clear-secret="${input.name}"]`);
      if (value !== null) body[input.name] = value;
      else if (entity && clear?.checked) body[input.name] = null;
      continue;
    }
    if (entity) {
      const stored = input.dataset.type === 'lines' ? (entity[input.name] ?? []).map(engineUrl) : entity[input.name] ?? defaults[input.name];
      if (!same(isEmpty(value) ? null : value, isEmpty(stored) ? null : stored)) body[input.name] = isEmpty(value) ? null : value;
    } else if (input.name === 'prefix') {
      body.prefix = value ?? '';
    } else if (!isEmpty(value) && !same(value, defaults[input.name])) {
      body[input.name] = value;
    }
  }

  const storedOrigins = entity?.websocketCrossOriginWhiteList ?? [];
  if (entity ? !same(origins, storedOrigins) : origins.length > 0) body.websocketCrossOriginWhiteList = [...origins];
  if (entity) body.modifiedDate = entity.modifiedDate;
  return { body, errors };
}

function showMethodFields(form) {
  const method = form.elements.authenticationMethod.value;
  for (const field of form.querySelectorAll('[data-method]')) {
    field.hidden = !field.dataset.method.split(' ').includes(method);
  }
}

// ---- errors at their fields -----------------------------------------------------------------------

function clearErrors(view) {
  for (const message of view.querySelectorAll('.error-message')) message.remove();
  for (const input of view.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.endsWith('-error'));
    if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
    else input.removeAttribute('aria-describedby');
    input.closest('.field')?.classList.remove('has-error');
  }
  const summary = view.querySelector('[data-error-summary]');
  summary.hidden = true;
  summary.querySelector('[data-error-list]').replaceChildren();
}

/**
 * Shows each error at the input named by its field (aria-invalid, message linked by
 * aria-describedby) and all of them in the summary; focus goes to the first input in error, or to
 * the summary when no error has an input.
 */
function showErrors(view, form, errors) {
  clearErrors(view);
  const summary = view.querySelector('[data-error-summary]');
  const list = summary.querySelector('[data-error-list]');
  let firstInput = null;

  for (const error of errors) {
    const input = error.field ? form.querySelector(`[name="${CSS.escape(error.field)}"]`) : null;
    const item = document.createElement('li');
    const text = error.field ? `${error.field}: ${error.message}` : error.message ?? error.title ?? String(error);
    if (input) {
      // An error for a field of another method (or a hidden group) shows it: the admin must see it to fix it.
      for (let hidden = input.closest('[hidden]'); hidden; hidden = hidden.parentElement?.closest('[hidden]')) hidden.hidden = false;
      const messageId = `${input.id}-error`;
      let message = document.getElementById(messageId);
      if (!message) {
        message = document.createElement('p');
        message.className = 'error-message';
        message.id = messageId;
        input.before(message);
        input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), messageId].filter(Boolean).join(' '));
      }
      message.textContent = message.textContent ? `${message.textContent} ${error.message}` : error.message;
      input.setAttribute('aria-invalid', 'true');
      input.closest('.field')?.classList.add('has-error');
      // The summary links to the input; a button, since a #fragment would be taken as a route.
      const jump = document.createElement('button');
      jump.type = 'button';
      jump.className = 'link';
      jump.textContent = text;
      jump.addEventListener('click', () => input.focus());
      item.append(jump);
      firstInput ??= input;
    } else {
      item.textContent = error.path ? `${error.path}: ${error.message}` : text;
    }
    list.append(item);
  }

  summary.hidden = false;
  if (firstInput) firstInput.focus();
  else {
    summary.tabIndex = -1;
    summary.focus();
  }
}

// ---- origins --------------------------------------------------------------------------------------

function renderCheck(list, result) {
  const items = (result.checks ?? []).map((check) => {
    const item = document.createElement('li');
    item.className = check.passed ? 'passed' : 'failed';
    const verdict = document.createElement('strong');
    verdict.textContent = check.passed ? 'passed' : 'failed';
    item.append(`${check.name}: `, verdict, check.detail ? ` — ${check.detail}` : '');
    item.dataset.check = check.name;
    return item;
  });
  list.replaceChildren(...items);
}

async function checkOrigin(entity, origin, list, button) {
  button.disabled = true;
  list.replaceChildren();
  list.setAttribute('aria-busy', 'true');
  try {
    const result = await post('qrs/portico/origincheck', { virtualProxyId: entity.id, origin });
    renderCheck(list, result);
    const failed = (result.checks ?? []).filter((c) => !c.passed).length;
    announce(failed ? `${origin}: ${failed} of ${result.checks.length} checks failed.` : `${origin}: all checks passed.`, failed ? 'error' : 'ok');
  } catch (error) {
    announce(describeFailure(error), 'error');
  } finally {
    list.removeAttribute('aria-busy');
    button.disabled = false;
  }
}

function renderOrigins(form, entity, origins) {
  const list = form.querySelector('[data-origin-list]');
  const stored = entity?.websocketCrossOriginWhiteList ?? [];
  list.replaceChildren(...origins.map((origin, index) => {
    const item = elementFromTemplate('origin-item');
    item.querySelector('[data-origin]').textContent = origin;
    item.dataset.origin = origin;
    const check = item.querySelector('[data-action="check-origin"]');
    check.setAttribute('aria-label', `Check ${origin}`);
    // The check runs against what Portico serves now: only a saved origin of a saved virtual proxy.
    check.disabled = !entity || !stored.includes(origin);
    if (check.disabled) check.title = 'Apply the change first: the check asks the running virtual proxy.';
    const results = item.querySelector('[data-checks]');
    check.addEventListener('click', () => checkOrigin(entity, origin, results, check));
    const remove = item.querySelector('[data-action="remove-origin"]');
    remove.setAttribute('aria-label', `Remove ${origin}`);
    remove.addEventListener('click', () => {
      origins.splice(index, 1);
      renderOrigins(form, entity, origins);
      announce(`${origin} removed from the list; review and apply to save.`);
      form.querySelector('[data-origin-new]').focus();
    });
    return item;
  }));
}

function addOrigin(form, entity, origins) {
  const input = form.querySelector('[data-origin-new]');
  const origin = input.value.trim().replace(/\/+$/, '');
  if (!origin) return;
  if (!origins.includes(origin)) origins.push(origin);
  input.value = '';
  renderOrigins(form, entity, origins);
  announce(`${origin} added to the list; review and apply to save.`);
  input.focus();
}

// ---- review and apply --------------------------------------------------------------------------------

function formatValue(value) {
  if (value === undefined || value === null) return '—';
  // A list of URLs (or server node references) one per line; a list of objects (an attribute map) as JSON.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || v?.hostName)) return value.map(engineUrl).join('\n') || '[]';
  if (typeof value === 'object') return JSON.stringify(value, null, 1);
  return String(value);
}

function showReview(view, dryRun) {
  const review = view.querySelector('[data-review]');
  const diff = dryRun.diff ?? [];
  const rows = diff.map((change) => {
    const row = document.createElement('tr');
    row.dataset.field = change.field;
    const field = document.createElement('th');
    field.scope = 'row';
    field.textContent = change.field;
    const before = document.createElement('td');
    before.className = 'before';
    before.textContent = formatValue(change.before);
    const after = document.createElement('td');
    after.className = 'after';
    after.textContent = formatValue(change.after);
    row.append(field, before, after);
    return row;
  });
  setRows(review.querySelector('[data-diff-rows]'), rows, 'The change sets nothing: the virtual proxy stays as it is.');
  review.querySelector('[data-review-message]').textContent = diff.length
    ? `Valid. Applying sets ${diff.length} ${diff.length === 1 ? 'field' : 'fields'}:`
    : 'Valid, with nothing to change.';
  view.querySelector('[data-proxy-form]').hidden = true;
  review.hidden = false;
  review.querySelector('#review-title').focus();
}

function hideReview(view) {
  view.querySelector('[data-review]').hidden = true;
  view.querySelector('[data-proxy-form]').hidden = false;
}

export async function renderForm(main, id) {
  const view = fromTemplate('proxy-form');
  const form = view.querySelector('[data-proxy-form]');
  form.querySelector('[data-fields]').replaceWith(...renderGroups());
  let entity = id ? await get(`qrs/virtualproxyconfig/${id}`) : null;
  const defaults = await get('qrs/about/api/default/virtualproxyconfig').catch(() => ({}));
  const origins = [...((entity ?? defaults).websocketCrossOriginWhiteList ?? [])];

  const title = view.querySelector('#proxy-form-title');
  title.textContent = entity ? `Edit ${displayPrefix(entity.prefix)}` : 'New virtual proxy';
  for (const input of fieldInputs(form)) {
    // A new virtual proxy starts from Portico's defaults; its prefix and cookie from nothing.
    if (!entity && (input.name === 'prefix' || input.name === 'sessionCookieHeaderName')) continue;
    writeInput(input, (entity ?? defaults)[input.name]);
  }
  // Whether a secret is stored may be said; the secret itself never is.
  for (const clear of form.querySelectorAll('[data-clear-secret]')) {
    clear.closest('label').hidden = !entity?.[clear.dataset.clearSecret];
  }
  showMethodFields(form);
  renderOrigins(form, entity, origins);

  const root = document.createElement('div');
  root.append(view);
  const page = root.firstElementChild;

  form.elements.authenticationMethod.addEventListener('change', () => showMethodFields(form));
  form.querySelector('[data-action="add-origin"]').addEventListener('click', () => addOrigin(form, entity, origins));
  form.querySelector('[data-origin-new]').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      addOrigin(form, entity, origins);
    }
  });

  let pending = null;
  const path = () => (entity ? `qrs/virtualproxyconfig/${entity.id}` : 'qrs/virtualproxyconfig');
  const write = (body, dryRun) => (entity ? put : post)(`${path()}${dryRun ? '?dryRun=true' : ''}`, body);

  const failed = (error) => {
    hideReview(page);
    if (error instanceof ApiError && error.status === 409 && error.body?.id) {
      // Someone changed it meanwhile (QRS's stale modifiedDate): the answer is the virtual proxy as
      // stored now. The form keeps the admin's values; the next review diffs them against it.
      entity = error.body;
      clearErrors(page);
      announce('Someone else changed this virtual proxy meanwhile: review your change again against the current one.', 'error');
      form.querySelector('[data-action="review"]').focus();
      return;
    }

    if (error instanceof ApiError && error.errors.length) {
      showErrors(page, form, error.errors);
      announce(`The change was not applied: ${error.errors.length} ${error.errors.length === 1 ? 'error' : 'errors'}.`, 'error');
    } else {
      clearErrors(page);
      announce(describeFailure(error), 'error');
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const built = buildBody(form, entity, origins, defaults);
    if (built.errors.length) {
      hideReview(page);
      showErrors(page, form, built.errors);
      announce(`Nothing was sent: ${built.errors.length} ${built.errors.length === 1 ? 'field is' : 'fields are'} not readable.`, 'error');
      return;
    }
    pending = built.body;
    try {
      const dryRun = await write(pending, true);
      clearErrors(page);
      showReview(page, dryRun);
      announce('The change is valid: review it, then apply.');
    } catch (error) {
      failed(error);
    }
  });

  page.querySelector('[data-action="back"]').addEventListener('click', () => {
    hideReview(page);
    form.querySelector('[data-action="review"]').focus();
  });

  page.querySelector('[data-action="apply"]').addEventListener('click', async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const saved = await write(pending, false);
      announce(entity ? `Virtual proxy ${displayPrefix(saved.prefix)} updated.` : `Virtual proxy ${displayPrefix(saved.prefix)} created.`);
      window.location.hash = '#/proxies';
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  });

  main.replaceChildren(page);
  if (id) title.focus();
}
