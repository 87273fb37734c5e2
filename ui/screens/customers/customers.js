// The customers screen: the create row, the search and filter toolbar, the status line and what
// a row's actions do (edit, toggle Active, delete with undo). The virtualised table itself is
// customer-grid.js; the edit dialog is customer-dialog.js.
import * as api from '../../lib/api.js';
import { createCustomerGrid } from './grid.js';

const $ = (sel) => document.querySelector(sel);
const number = new Intl.NumberFormat('en');
/** How often the list asks whether another window or the CLI wrote to the file. */
const OUTSIDE_POLL_MS = 2000;
const isFiltered = (q) => q.search.trim() !== '' || q.filter !== 'all' || !!q.service;

/**
 * `views.openCustomer(c)` opens a customer's page (Enter, double-click); `views.copyCustomer(c)`
 * the Copy dialog (the row's Copy… button).
 */
export function createCustomersScreen(shell, dialog, countryName, views) {
  const search = $('#search');
  const filter = $('#filter');
  const serviceFilter = $('#service-filter');
  let allTotal = null; // customers in the database, for "12 of 1,234 shown"

  const grid = createCustomerGrid({
    onOpen: (c) => views.openCustomer(c),
    onEdit: (c) => dialog.open(c.customer_id).then(forgetIfGone),
    onCopy: (c) => views.copyCustomer(c),
    onDelete: (c) => deleteCustomer(c),
    onToggle: (c, active, box) => setActive(c, active, box),
    onError: shell.showError,
    onCount: (n, q) => {
      if (n != null && !isFiltered(q)) allTotal = n;
      showStatus(n, q);
    },
    countryName,
  });

  /** A customer another window or the CLI deleted meanwhile: drop its row from the list. */
  function forgetIfGone(err) {
    if (err && err.kind === 'not_found') grid.refresh();
  }

  function showStatus(n, q) {
    let text;
    if (n == null) text = 'Counting…';
    else if (!isFiltered(q)) text = `${number.format(n)} ${n === 1 ? 'customer' : 'customers'}`;
    else if (allTotal != null) text = `${number.format(n)} of ${number.format(allTotal)} shown`;
    else text = `${number.format(n)} shown`;
    $('#status').textContent = text;
  }

  /** Keeps "N of M" right while a filtered view hides the rows a write added or removed. */
  function countChanged(delta) {
    if (allTotal != null && isFiltered(grid.query)) allTotal += delta;
  }

  // ---- toolbar ----------------------------------------------------------------------------------
  search.addEventListener('input', () => grid.setQuery({ search: search.value }));
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && search.value) {
      e.preventDefault();
      search.value = '';
      grid.setQuery({ search: '' });
    } else if (e.key === 'ArrowDown' || (e.key === 'Enter' && !e.isComposing)) {
      e.preventDefault(); // from the search box straight into the results
      grid.focus();
      if (grid.selectedIndex == null) grid.select(0);
    }
  });
  filter.addEventListener('change', () => grid.setQuery({ filter: filter.value }));
  serviceFilter.addEventListener('change', () => grid.setQuery({ service: serviceFilter.value || null }));

  /** The service filter offers the catalogue's services; a service that is gone resets it. */
  async function loadServices() {
    const services = await api.servicesCatalogue();
    const chosen = serviceFilter.value;
    const any = serviceFilter.options[0];
    serviceFilter.replaceChildren(any, ...services.map((sv) => {
      const o = document.createElement('option');
      o.value = sv.name;
      o.textContent = sv.name;
      return o;
    }));
    serviceFilter.value = services.some((sv) => sv.name === chosen) ? chosen : '';
    if (serviceFilter.value !== chosen) grid.setQuery({ service: null });
  }

  // ---- showing one customer ---------------------------------------------------------------------
  /**
   * After a write: refreshes the list and selects the customer at its (possibly new) place. If the
   * current search or filter hides it and `clearIfHidden`, shows all customers first.
   */
  async function reveal(customerId, { clearIfHidden = true } = {}) {
    const refreshed = grid.refresh();
    let g = grid.generation;
    await refreshed;
    if (g !== grid.generation) return; // the user moved on (typed, sorted) meanwhile
    const position = (q) => api.customerPosition(q, customerId).catch((err) => {
      shell.showError(err);
      return null;
    });
    let pos = await position(grid.query);
    if (g !== grid.generation) return;
    if (pos == null && clearIfHidden && isFiltered(grid.query)) {
      search.value = '';
      filter.value = 'all';
      serviceFilter.value = '';
      grid.setQuery({ search: '', filter: 'all', service: null });
      g = grid.generation;
      await grid.whenTotal();
      if (g !== grid.generation) return;
      pos = await position(grid.query);
      if (g !== grid.generation) return;
    }
    if (pos != null) grid.select(pos, { center: true });
  }

  // ---- row actions ------------------------------------------------------------------------------
  async function setActive(c, active, box) {
    if (c.own) {
      if (box) box.checked = true;
      shell.toast('Your own company is always active.');
      return;
    }
    try {
      const updated = await api.customerSetActive(c.customer_id, active);
      shell.clearUndo();
      grid.patch(updated); // the row shows the change at once …
      grid.refresh(); // … and the view catches up (an Active/Inactive filter may now hide it)
    } catch (err) {
      if (box) box.checked = !active;
      shell.showError(err);
      forgetIfGone(err);
    }
  }

  async function deleteCustomer(c) {
    if (c.own) {
      shell.toast('Your own company cannot be deleted.', { kind: 'error' });
      return;
    }
    const ok = await shell.confirm(
      `Delete “${c.name}” (${c.customer_id})? It is removed from this database; you can undo this right after.`,
      'Delete',
    );
    grid.focus();
    if (!ok) return;
    try {
      const gone = await api.customerDelete(c.customer_id);
      countChanged(-1);
      grid.refresh();
      shell.toast(`Deleted “${gone.name}”.`, { undo: () => restore(gone) });
    } catch (err) {
      shell.showError(err);
      forgetIfGone(err);
    }
  }

  async function restore(gone) {
    try {
      const c = await api.customerRestore(gone);
      countChanged(+1);
      shell.toast(`Restored “${c.name}”.`);
      await reveal(c.customer_id);
      grid.focus();
    } catch (err) {
      shell.showError(err);
    }
  }

  // ---- the create row ---------------------------------------------------------------------------
  const form = $('#create-form');
  const newName = $('#new-name');
  const newId = $('#new-id');
  const addButton = $('#add-button');
  const inputs = { name: newName, customer_id: newId };
  let idEdited = false; // the user typed an ID: it no longer follows the name
  let suggestion = 0; // latest-wins sequence for the derived ID
  let creating = false;

  function clearCreateError(input) {
    const box = $(`#${input.id}-error`);
    box.textContent = '';
    box.hidden = true;
    input.removeAttribute('aria-invalid');
    input.classList.remove('invalid');
  }

  function markCreateError(input, message) {
    const box = $(`#${input.id}-error`);
    box.textContent = message;
    box.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.classList.add('invalid');
  }

  function showCreateError(err) {
    if (err.kind !== 'invalid' && err.kind !== 'conflict') {
      shell.showError(err);
      return;
    }
    const list = err.fields && err.fields.length ? err.fields : [{ field: err.field, message: err.message }];
    let focus = null;
    for (const f of list) {
      const input = inputs[f.field];
      markCreateError(input || newName, input ? f.message : `${f.label || f.field}: ${f.message}`);
      focus = focus || input || newName;
    }
    focus.focus();
  }

  function nameChanged() {
    clearCreateError(newName);
    const mine = ++suggestion;
    if (newName.value.trim() === '') {
      idEdited = false;
      newId.value = '';
      clearCreateError(newId);
      return;
    }
    if (idEdited) return;
    api.customerSuggestId(newName.value).then((id) => {
      if (mine === suggestion && !idEdited) newId.value = id;
    }, (err) => { if (mine === suggestion) shell.showError(err); });
  }
  newName.addEventListener('input', nameChanged);
  // A value set without typing (e.g. an automation's clear) fires only `change`.
  newName.addEventListener('change', () => { if (newName.value.trim() === '' && newId.value) nameChanged(); });

  newId.addEventListener('input', () => {
    idEdited = true;
    suggestion += 1; // an answer still on its way must not overwrite what the user typed
    clearCreateError(newId);
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (creating) return;
    creating = true;
    addButton.disabled = true;
    clearCreateError(newName);
    clearCreateError(newId);
    const fields = { name: newName.value };
    if (idEdited && newId.value.trim() !== '') fields.customer_id = newId.value;
    try {
      const c = await api.customerCreate(fields);
      shell.clearUndo();
      suggestion += 1;
      newName.value = '';
      newId.value = '';
      idEdited = false;
      countChanged(+1);
      shell.toast(`Added “${c.name}” (${c.customer_id}).`);
      await reveal(c.customer_id);
    } catch (err) {
      showCreateError(err);
    } finally {
      creating = false;
      addButton.disabled = false;
      // Disabling the focused Add button dropped the focus: give it back to the create row.
      if (document.activeElement === document.body || document.activeElement === null) newName.focus();
    }
  });

  // ---- writes from outside --------------------------------------------------------------------
  // Another window or the CLI may write to the same file (an import, an edit). The list asks
  // now and then — and when the window gets the focus back — whether that happened, and then
  // catches up where the user is, as after its own writes.
  let outside = null;
  let asking = false;
  async function checkOutside() {
    if (asking || document.hidden) return;
    asking = true;
    try {
      const version = await api.dbOutsideVersion();
      if (version == null) return; // this window is writing: ask again later
      const changed = outside != null && version !== outside;
      outside = version;
      if (changed) {
        allTotal = null; // recounted by the next unfiltered view
        window.dispatchEvent(new CustomEvent('outside-write')); // an open customer page catches up too
        await grid.refresh();
      }
    } catch {
      // No database open, or it is being switched: nothing to catch up with.
    } finally {
      asking = false;
    }
  }
  setInterval(checkOutside, OUTSIDE_POLL_MS);
  window.addEventListener('focus', checkOutside);

  return {
    start: () => {
      loadServices().catch(shell.showError);
      checkOutside();
      return grid.start();
    },
    /** The service catalogue changed (Settings ▸ Services). */
    servicesChanged: () => loadServices().catch(shell.showError),
    /** A customer was added elsewhere (a copy, a restore): count it, show it selected. */
    afterAdd(c) {
      shell.clearUndo();
      countChanged(+1);
      return reveal(c.customer_id, { clearIfHidden: false });
    },
    /** Rows changed elsewhere (a job added, a user's group…): the list catches up in place. */
    refresh: () => grid.refresh(),
    /** The dialog saved `saved` (its ID may have changed): show it, selected, at its place. */
    afterEdit(saved, previousId) {
      grid.patch(saved, previousId);
      return reveal(saved.customer_id, { clearIfHidden: false });
    },
    focusGrid: () => grid.focus(),
    /** The list as shown — what Export writes — and how many rows it has (null: not counted yet). */
    get query() { return grid.query; },
    get shown() { return grid.total; },
    /** An import wrote rows: the list (and "N of M") catches up, where the user is. */
    afterImport(report) {
      shell.clearUndo();
      countChanged(report.inserted);
      return grid.refresh();
    },
    afterUndo(done) {
      countChanged(-done.removed);
      return grid.refresh();
    },
  };
}
