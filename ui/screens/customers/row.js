// One row of the customers table, built with createElement/textContent only (names may hold
// "<"), and the selected state the virtualised grid keeps on rows it reuses.
import { mappingTitle, statusBadge } from '../../lib/mapping-status.js';

const VALIDITY_TITLE = {
  valid: 'Active', invalid: 'Inactive', 'invalid-temporarily': 'Invalid (temporarily)',
};

function td(text, className) {
  const cell = document.createElement('td');
  if (className) cell.className = className;
  if (text != null) cell.textContent = text;
  return cell;
}

function rowButton(label, className, aria, disabledTitle) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.setAttribute('aria-label', aria);
  if (disabledTitle) { b.disabled = true; b.title = disabledTitle; }
  return b;
}

/** Row `i` of the list showing customer `c`, or a placeholder while `c` is still loading. */
export function buildRow(i, c, countryName) {
  const tr = document.createElement('tr');
  tr.id = `row-${i}`;
  tr.dataset.index = String(i);
  tr.setAttribute('aria-rowindex', String(i + 2));
  if (!c) {
    tr.className = 'loading';
    tr.setAttribute('aria-busy', 'true');
    const cell = td(null, 'placeholder');
    const bar = document.createElement('span');
    bar.className = 'skeleton';
    bar.textContent = 'Loading…';
    cell.append(bar);
    tr.append(cell);
    for (let k = 1; k < 8; k += 1) tr.append(td(''));
    return tr;
  }
  tr.dataset.id = c.customer_id;
  if (!c.active) tr.classList.add('inactive');
  if (c.own) tr.classList.add('own');

  const name = td(null, 'name');
  name.title = c.name;
  const wrap = document.createElement('div');
  wrap.className = 'name-wrap';
  const text = document.createElement('span');
  text.className = 'name-text';
  text.textContent = c.name;
  wrap.append(text);
  if (c.own) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'Own company';
    wrap.append(badge);
  }
  name.append(wrap);

  const id = td(c.customer_id, 'id');
  id.title = c.customer_id;
  const city = td(c.city ?? '', 'city');
  if (c.city) city.title = c.city;
  const country = td(c.country ?? '', 'country');
  if (c.country) country.title = countryName(c.country) || c.country;
  const jobs = td(String(c.jobs ?? 0), (c.jobs ?? 0) === 0 ? 'num jobs zero' : 'num jobs');
  const autotask = td(null, 'autotask');
  if (c.autotask) {
    const wrap = document.createElement('div');
    wrap.className = 'name-wrap';
    const company = document.createElement('span');
    company.className = 'name-text';
    company.textContent = c.autotask.company_name;
    wrap.append(company, statusBadge(c.autotask));
    autotask.title = `${c.autotask.company_name}\n${mappingTitle(c.autotask)}`;
    autotask.append(wrap);
  }

  const activeCell = td(null, 'center active');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.className = 'active-toggle';
  box.checked = !!c.active;
  box.setAttribute('aria-label', `Active: ${c.name}`);
  if (c.own) { box.disabled = true; box.title = 'Your own company is always active'; }
  else box.title = VALIDITY_TITLE[c.validity] || '';
  activeCell.append(box);

  const actions = td(null, 'actions');
  actions.append(
    rowButton('Edit', 'edit', `Edit ${c.name}`),
    rowButton('Copy…', 'copy', `Copy ${c.name}`),
    rowButton('Delete', 'delete', `Delete ${c.name}`, c.own ? 'Your own company cannot be deleted' : ''),
  );
  tr.append(name, id, city, country, jobs, autotask, activeCell, actions);
  return tr;
}

/** Selection lives on the kept row nodes; only the selected row's controls are Tab stops. */
export function applySelection(tr, on) {
  tr.classList.toggle('selected', on);
  tr.setAttribute('aria-selected', on ? 'true' : 'false');
  for (const el of tr.querySelectorAll('button, input')) el.tabIndex = on ? 0 : -1;
}
