// Engine nodes: every virtual proxy's engines and their health (GET api/qrs/portico/enginenode).

import { get } from './api.js';
import { announce, describeFailure, fromTemplate, setRows } from './dom.js';

function healthCell(health) {
  const cell = document.createElement('td');
  const badge = document.createElement('span');
  badge.className = `badge health-${health}`;
  badge.textContent = health;
  cell.append(badge);
  return cell;
}

async function load(tbody) {
  const list = await get('qrs/portico/enginenode');
  const rows = [];
  for (const entry of list) {
    for (const node of entry.nodes ?? []) {
      const row = document.createElement('tr');
      const proxy = document.createElement('th');
      proxy.scope = 'row';
      // The default virtual proxy comes as "" or by its display name, "(default)".
      const name = entry.virtualProxy ?? '';
      proxy.textContent = name === '' || name.startsWith('(') ? '(default)' : `/${name}/`;
      const address = document.createElement('td');
      address.textContent = node.address ?? node.node ?? '';
      row.append(proxy, address, healthCell(String(node.health ?? 'unknown')));
      rows.push(row);
    }
  }
  setRows(tbody, rows, 'No engine nodes are configured.');
}

export async function render(main) {
  const page = fromTemplate('engines');
  const tbody = page.querySelector('[data-rows]');
  page.querySelector('[data-action="refresh"]').addEventListener('click', async () => {
    try {
      await load(tbody);
      announce('Engine health refreshed.');
    } catch (error) {
      announce(describeFailure(error), 'error');
    }
  });
  main.replaceChildren(page);
  await load(tbody);
}
