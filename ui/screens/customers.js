// The customers screen: the create row, search and filter, and the virtualised table.
//
// The table renders only the rows in view. Rows arrive in blocks from `customers_window` and are
// cached per view; a view is (search, filter, sort) and every write starts a new generation so a
// stale answer is never shown. The scroll height is capped so a million rows fit the browser's
// limits; the scrollbar then maps proportionally and the wheel moves by rows.
import * as api from '../api.js';

const BLOCK = 100;
const MAX_PX = 8_000_000;
const $ = (sel) => document.querySelector(sel);
const number = new Intl.NumberFormat('en');
const VALIDITY_TITLES = {
  valid: 'Active', invalid: 'Inactive', 'invalid-temporarily': 'Invalid (temporarily)',
};

export function createCustomersScreen(shell, dialog) {
  const grid = $('#grid');
  const inner = $('#grid-inner');
  const thead = $('#customers thead');
  const tbody = $('#customers tbody');
  const rowHeight = () => parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--row-h')) || 34;

  const query = { search: '', filter: 'all', sort: 'name', descending: false };
  let generation = 0;
  let total = null;
  let blocks = new Map();
  let pending = new Set();
  let first = 0;
  let selected = null;
  let frame = 0;

  // ---- data -------------------------------------------------------------------------------
  const knownRows = () => total ?? (blocks.get(0)?.length ?? 0);

  function rowAt(i) {
    const b = Math.floor(i / BLOCK);
    const block = blocks.get(b);
    if (block) return block[i - b * BLOCK];
    fetchBlock(b);
    return undefined;
  }

  function fetchBlock(b) {
    if (pending.has(b)) return;
    pending.add(b);
    const g = generation;
    api.customersWindow({ ...query }, b * BLOCK, BLOCK).then((w) => {
      if (g !== generation) return;
      pending.delete(b);
      if (blocks.size > 400) blocks = new Map([...blocks].filter(([k]) => Math.abs(k - b) < 20));
      blocks.set(b, w.rows);
      if (w.total != null) total = w.total;
      else if (b === 0 && w.rows.length < BLOCK) total = w.rows.length;
      schedule();
    }).catch((err) => {
      pending.delete(b);
      if (g === generation) shell.showError(err);
    });
  }

  function fetchTotal() {
    const g = generation;
    return api.customersTotal({ ...query }).then((n) => {
      if (g === generation) { total = n; schedule(); }
    }).catch((err) => { if (g === generation) shell.showError(err); });
  }

  /** Starts a new generation: after a query change (from the top) or a write (in place). */
  function reload({ keepPlace = false } = {}) {
    generation += 1;
    blocks = new Map();
    pending = new Set();
    if (!keepPlace) {
      total = null;
      first = 0;
      selected = null;
      grid.scrollTop = 0;
    }
    schedule();
    return fetchTotal();
  }

  // ---- geometry -----------------------------------------------------------------------------
  const headerHeight = () => thead.getBoundingClientRect().height || rowHeight();
  const visibleRows = () => Math.max(1, Math.floor((grid.clientHeight - headerHeight()) / rowHeight()));
  const maxFirst = () => Math.max(0, knownRows() - visibleRows());
  const maxScroll = () => Math.max(0, grid.scrollHeight - grid.clientHeight);

  function layout() {
    const height = Math.min(MAX_PX, headerHeight() + knownRows() * rowHeight());
    inner.style.height = `${Math.ceil(height)}px`;
    grid.setAttribute('aria-rowcount', String(knownRows()));
  }

  function scrollToFirst(f) {
    first = Math.max(0, Math.min(f, maxFirst()));
    const m = maxFirst();
    grid.scrollTop = m ? (first / m) * maxScroll() : 0;
  }

  function firstFromScroll() {
    const m = maxScroll();
    return m ? Math.round((grid.scrollTop / m) * maxFirst()) : 0;
  }

  // ---- rendering ----------------------------------------------------------------------------
  function schedule() {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); });
  }

  function cell(text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text ?? '';
    return td;
  }

  function button(label, className, aria, disabled, title) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = label;
    b.setAttribute('aria-label', aria);
    b.tabIndex = -1;
    if (disabled) { b.disabled = true; b.title = title; }
    return b;
  }

  function renderRow(i, c) {
    const tr = document.createElement('tr');
    tr.dataset.index = String(i);
    tr.setAttribute('role', 'row');
    tr.setAttribute('aria-rowindex', String(i + 1));
    if (i === selected) { tr.classList.add('selected'); tr.setAttribute('aria-selected', 'true'); }
    if (!c) {
      tr.classList.add('loading');
      tr.append(cell('Loading…'));
      for (let k = 0; k < 7; k += 1) tr.append(cell(''));
      return tr;
    }
    tr.dataset.id = c.customer_id;
    if (!c.active) tr.classList.add('inactive');
    const name = cell(c.name, 'name-cell');
    name.title = c.name;
    if (c.own) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = 'Own company';
      name.append(badge);
    }
    const jobs = cell(String(c.jobs), c.jobs === 0 ? 'num zero' : 'num');
    const active = document.createElement('td');
    active.className = 'center';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'active-toggle';
    box.checked = c.active;
    box.tabIndex = -1;
    box.setAttribute('aria-label', `Active: ${c.name}`);
    box.title = c.own ? 'Your own company is always active' : VALIDITY_TITLES[c.validity];
    box.disabled = c.own;
    active.append(box);
    const actions = document.createElement('td');
    actions.className = 'actions';
    actions.append(
      button('Edit', 'edit', `Edit ${c.name}`),
      button('Delete', 'delete', `Delete ${c.name}`, c.own, 'Your own company cannot be deleted'),
    );
    tr.append(name, cell(c.customer_id, 'id'), cell(c.city), cell(c.country), jobs,
      cell(c.autotask_company), active, actions);
    return tr;
  }

  function render() {
    layout();
    first = Math.max(0, Math.min(first, maxFirst()));
    const n = knownRows();
    const end = Math.min(n, first + visibleRows() + 1);
    const rows = [];
    for (let i = first; i < end; i += 1) rows.push(renderRow(i, rowAt(i)));
    tbody.replaceChildren(...rows);
    $('#empty').hidden = !(total === 0);
    const filtered = query.search.trim() !== '' || query.filter !== 'all';
    $('#status').textContent = total == null ? 'Counting…'
      : filtered ? `${number.format(total)} shown` : `${number.format(total)} customers`;
  }

  // ---- selection and keyboard -------------------------------------------------------------
  function select(i, { focus = false } = {}) {
    const n = knownRows();
    if (n === 0) { selected = null; schedule(); return; }
    selected = Math.max(0, Math.min(i, n - 1));
    const vis = visibleRows();
    if (selected < first) scrollToFirst(selected);
    else if (selected >= first + vis) scrollToFirst(selected - vis + 1);
    if (focus) grid.focus();
    schedule();
  }

  const selectedCustomer = () => (selected == null ? undefined : rowAt(selected));

  grid.addEventListener('keydown', (e) => {
    if (e.target !== grid) return;
    const page = visibleRows();
    const cur = selected ?? first - 1;
    const c = selectedCustomer();
    switch (e.key) {
      case 'ArrowDown': select(cur + 1); break;
      case 'ArrowUp': select(Math.max(0, cur - 1)); break;
      case 'PageDown': select(cur + page); break;
      case 'PageUp': select(Math.max(0, cur - page)); break;
      case 'Home': select(0); break;
      case 'End': select(knownRows() - 1); break;
      case 'Enter': if (c) dialog.open(c.customer_id); break;
      case 'Delete': if (c) deleteCustomer(c); break;
      case ' ': if (c && !c.own) setActive(c, !c.active); break;
      default: return;
    }
    e.preventDefault();
  });

  grid.addEventListener('scroll', () => {
    const f = firstFromScroll();
    if (f !== first) { first = f; schedule(); }
  });

  grid.addEventListener('wheel', (e) => {
    const m = maxFirst();
    if (!m || maxScroll() / m >= rowHeight() * 0.9) return; // native scrolling is exact enough
    e.preventDefault();
    const rows = e.deltaMode === 1 ? e.deltaY : e.deltaY / rowHeight();
    scrollToFirst(first + (Math.round(rows) || Math.sign(rows)));
    schedule();
  }, { passive: false });

  new ResizeObserver(() => schedule()).observe(grid);

  tbody.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-index]');
    if (!tr) return;
    const i = Number(tr.dataset.index);
    const c = rowAt(i);
    select(i);
    if (!c) return;
    if (e.target.closest('button.edit')) dialog.open(c.customer_id);
    else if (e.target.closest('button.delete')) deleteCustomer(c);
    else if (!e.target.closest('input')) grid.focus();
  });
  tbody.addEventListener('change', (e) => {
    const box = e.target.closest('input.active-toggle');
    const tr = e.target.closest('tr[data-index]');
    const c = tr && rowAt(Number(tr.dataset.index));
    if (box && c) setActive(c, box.checked, box);
  });
  tbody.addEventListener('dblclick', (e) => {
    const tr = e.target.closest('tr[data-id]');
    if (tr && !e.target.closest('button, input')) dialog.open(tr.dataset.id);
  });

  // ---- sorting, search and filter ---------------------------------------------------------
  function showSort() {
    for (const b of thead.querySelectorAll('button[data-sort]')) {
      const on = b.dataset.sort === query.sort;
      b.classList.toggle('sorted', on);
      b.classList.toggle('desc', on && query.descending);
      const th = b.closest('th');
      if (on) th.setAttribute('aria-sort', query.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
  }
  thead.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-sort]');
    if (!b) return;
    if (query.sort === b.dataset.sort) query.descending = !query.descending;
    else { query.sort = b.dataset.sort; query.descending = false; }
    showSort();
    reload();
  });
  $('#search').addEventListener('input', (e) => { query.search = e.target.value; reload(); });
  $('#filter').addEventListener('change', (e) => { query.filter = e.target.value; reload(); });

  // ---- writes ---------------------------------------------------------------------------------
  /** Shows a customer: reloads, finds its row (clearing search and filter if they hide it). */
  async function reveal(customerId, { clearIfHidden = true } = {}) {
    await reload({ keepPlace: true });
    let position = await api.customerPosition({ ...query }, customerId);
    if (position == null && clearIfHidden && (query.search || query.filter !== 'all')) {
      query.search = ''; query.filter = 'all';
      $('#search').value = ''; $('#filter').value = 'all';
      await reload();
      position = await api.customerPosition({ ...query }, customerId);
    }
    if (position != null) select(position);
  }

  async function setActive(c, active, box) {
    try {
      await api.customerSetActive(c.customer_id, active);
      shell.clearUndo();
      await reload({ keepPlace: true });
    } catch (err) {
      if (box) box.checked = !active;
      shell.showError(err);
    }
  }

  async function deleteCustomer(c) {
    if (c.own) { shell.toast('Your own company cannot be deleted.', { kind: 'error' }); return; }
    const ok = await shell.confirmAction(
      `Delete “${c.name}” (${c.customer_id})? You can undo this right after.`,
    );
    grid.focus();
    if (!ok) return;
    try {
      const gone = await api.customerDelete(c.customer_id);
      await reload({ keepPlace: true });
      if (selected != null) select(Math.min(selected, knownRows() - 1));
      shell.toast(`Deleted “${gone.name}”.`, {
        action: { label: 'Undo', className: 'undo', run: () => restore(gone) },
      });
    } catch (err) {
      shell.showError(err);
    }
  }

  async function restore(gone) {
    try {
      const c = await api.customerRestore(gone);
      await reveal(c.customer_id);
      shell.toast(`Restored “${c.name}”.`);
    } catch (err) {
      shell.showError(err);
    }
  }

  // ---- the create row -------------------------------------------------------------------------
  const newName = $('#new-name');
  const newId = $('#new-id');
  let idEdited = false;
  let suggestion = 0;

  function createError(err) {
    const field = err && err.field === 'customer_id' ? newId : newName;
    for (const input of [newName, newId]) input.removeAttribute('aria-invalid');
    if (!err) { $('#create-error').textContent = ''; return; }
    $('#create-error').textContent = err.message || String(err);
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }

  newName.addEventListener('input', async () => {
    createError(null);
    if (!newName.value.trim()) { idEdited = false; newId.value = ''; return; }
    if (idEdited) return;
    const mine = ++suggestion;
    try {
      const id = await api.customerSuggestId(newName.value);
      if (mine === suggestion && !idEdited) newId.value = id;
    } catch (err) { /* the ID preview is a convenience; Add reports real problems */ }
  });
  newId.addEventListener('input', () => { idEdited = newId.value.trim() !== ''; createError(null); });

  $('#create-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const fields = { name: newName.value };
    if (idEdited) fields.customer_id = newId.value;
    try {
      const c = await api.customerCreate(fields);
      shell.clearUndo();
      newName.value = ''; newId.value = ''; idEdited = false; suggestion += 1;
      createError(null);
      await reveal(c.customer_id);
      shell.toast(`Added “${c.name}” (${c.customer_id}).`);
    } catch (err) {
      createError(err);
    }
  });

  return {
    load: async () => { showSort(); await reload(); },
    afterEdit: (c) => reveal(c.customer_id, { clearIfHidden: false }),
  };
}
