// The shell of the window: start-up, global keyboard shortcuts, the File menu's events, the
// drop overlay, toasts (with the one pending Undo) and the confirm dialog. Screens live in
// screens/ and get these helpers as `shell`.
import * as api from './lib/api.js';
import { createCustomersScreen } from './screens/customers/customers.js';
import { createCustomerDialog } from './screens/customers/edit-dialog.js';
import { createImportDialog } from './screens/transfer/import-dialog.js';
import { createExportDialog } from './screens/transfer/export-dialog.js';
import { createAutotaskDialog } from './screens/autotask/settings.js';
import { createAutotaskFlows } from './screens/autotask/flows.js';
import { loadMeanings } from './lib/mapping-status.js';
import { createViews } from './screens/views.js';
import { createCustomerPage } from './screens/customer/page.js';
import { createCopyDialog } from './screens/customers/copy-dialog.js';
import { createJobsView } from './screens/jobs/jobs-view.js';
import { createSettings } from './screens/settings/settings.js';
import { createDatabaseFlows } from './screens/database/database.js';

const $ = (sel) => document.querySelector(sel);

// ---- toasts ---------------------------------------------------------------------------------------
// One toast at a time: a new one replaces the last, and with it any Undo it offered.
let pendingUndo = null;
let toastTimer = 0;

function dismissToasts() {
  clearTimeout(toastTimer);
  pendingUndo = null;
  $('#toasts').replaceChildren();
}

/**
 * Shows one toast. `undo`: an Undo button (and Ctrl+Z). `actions`: more buttons, `[{label, run}]`;
 * a toast with buttons stays until it is dismissed or replaced. Returns `{dismiss}`, which removes
 * this toast only if it is still the one shown.
 */
function toast(message, { kind = 'info', undo = null, actions = [], timeout } = {}) {
  dismissToasts();
  const el = document.createElement('div');
  el.className = `toast ${kind}`;
  if (kind === 'error') el.setAttribute('role', 'alert');
  const text = document.createElement('span');
  text.className = 'toast-text';
  text.textContent = message;
  el.append(text);
  if (undo) {
    const run = () => {
      dismissToasts();
      undo();
    };
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'undo';
    b.textContent = 'Undo';
    b.title = 'Undo (Ctrl+Z)';
    b.addEventListener('click', run);
    el.append(b);
    pendingUndo = run;
  }
  for (const action of actions) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'action';
    b.textContent = action.label;
    b.addEventListener('click', () => action.run());
    el.append(b);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'close';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss');
  close.addEventListener('click', dismissToasts);
  el.append(close);
  $('#toasts').append(el);
  // An Undo offer stays until the next action replaces it; other toasts fade on their own.
  if (!undo && !actions.length) toastTimer = setTimeout(dismissToasts, timeout ?? (kind === 'error' ? 12000 : 5000));
  return { dismiss: () => { if (el.isConnected) dismissToasts(); } };
}

function showError(err) {
  if (err && err.kind === 'cancelled') return; // a newer request replaced it; nothing went wrong
  toast((err && err.message) || String(err), { kind: 'error' });
}

/** Any other write ends the Undo offer of the last delete. */
function clearUndo() {
  if (pendingUndo) dismissToasts();
}

// ---- confirm dialog -------------------------------------------------------------------------------
/** Asks before something irreversible; resolves true on confirm. Cancel (the default) and Esc say no. */
function confirm(message, okLabel = 'Delete') {
  const dialog = $('#confirm-dialog');
  const ok = $('#confirm-ok');
  const cancel = $('#confirm-cancel');
  $('#confirm-message').textContent = message;
  ok.textContent = okLabel;
  return new Promise((resolve) => {
    let answer = false;
    const onOk = () => { answer = true; dialog.close(); };
    const onCancel = () => dialog.close();
    const onClose = () => {
      ok.removeEventListener('click', onOk);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      resolve(answer);
    };
    ok.addEventListener('click', onOk);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    cancel.focus();
  });
}

// ---- start-up -------------------------------------------------------------------------------------
/** The banner under the top bar, with optional buttons `[{label, run}]`. */
function showBanner(message, actions = []) {
  const banner = $('#banner');
  banner.textContent = message;
  if (actions.length) {
    const box = document.createElement('span');
    box.className = 'banner-actions';
    for (const a of actions) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = a.label;
      b.addEventListener('click', () => a.run());
      box.append(b);
    }
    banner.append(box);
  }
  banner.hidden = false;
}

/** File menu entries about the database itself, whatever state the window is in. */
function databaseMenu(id, db) {
  if (id === 'db-new') db.new();
  else if (id === 'db-open') db.open();
  else if (id === 'db-copy') db.copy();
  else if (id === 'db-close') db.close();
  else if (id.startsWith('recent-')) db.recent(Number(id.slice('recent-'.length)));
  else return false;
  return true;
}

/** Inputs typed into: there Ctrl+Z belongs to the text, not to our Undo. */
function isTextEntry(el) {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el.isContentEditable) return true;
  return el instanceof HTMLInputElement
    && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
}

function shortcuts(flows) {
  document.addEventListener('keydown', (e) => {
    if (document.querySelector('dialog[open]')) return; // dialogs handle their own keys
    const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
    const key = e.key.toLowerCase();
    // Ctrl+I and Ctrl+E are also the File menu's accelerators; whichever fires first opens the
    // flow, and the flows ignore a second start while they are open.
    if (mod && !e.shiftKey && (key === 'i' || key === 'e')) {
      e.preventDefault();
      if (!e.repeat) (key === 'i' ? flows.import : flows.export)();
    } else if (mod && key === 'n' && !e.shiftKey) {
      e.preventDefault();
      flows.showList();
      $('#new-name').focus();
      $('#new-name').select();
    } else if (mod && key === 'f' && !e.shiftKey) {
      e.preventDefault();
      flows.showList();
      $('#search').focus();
      $('#search').select();
    } else if (mod && key === 'z' && !e.shiftKey && pendingUndo && !isTextEntry(e.target)) {
      e.preventDefault();
      pendingUndo();
    } else if (e.key === 'Escape' && $('#toasts').firstChild && !isTextEntry(e.target)) {
      dismissToasts();
    }
  });
}

function disableEverything() {
  for (const el of document.querySelectorAll('#create-form input, #create-form button, #search, #filter, #service-filter, #customers button, .tool-buttons button, #nav-jobs, #nav-settings')) {
    el.disabled = true;
  }
}

// ---- the File menu and files dragged over the window ---------------------------------------------
const dropOverlay = $('#drop-overlay');
let overlayShown = false;

/** The full-window "Drop a CSV to import" (or what is wrong with what is dragged). */
function showDropOverlay(on, problem = null, database = false) {
  dropOverlay.classList.toggle('refused', !!problem);
  $('#drop-title').textContent = problem || (database ? 'Drop to open this database' : 'Drop a CSV to import');
  $('#drop-hint').hidden = !!problem || database;
  if (on === overlayShown) return;
  overlayShown = on;
  // A popover sits in the top layer, above an open modal dialog; the class is the fallback.
  try {
    if (on) dropOverlay.showPopover();
    else dropOverlay.hidePopover();
  } catch {
    dropOverlay.classList.toggle('shown', on);
  }
}

function listenToWindow(flows, importDialog, db) {
  const on = (name, handler) => api.listen(name, handler).catch(showError);
  on('menu', (id) => {
    if (databaseMenu(id, db)) return;
    if (id === 'import') flows.import();
    else if (id === 'export') flows.export();
    else if (id === 'autotask-settings') flows.autotask();
    else if (id === 'autotask-refresh') flows.refreshAll();
    else if (id === 'autotask-pull') flows.pull();
  });
  // A wait after Autotask's 429, for whichever screen is waiting on Autotask.
  on('autotask-wait', (w) => document.dispatchEvent(new CustomEvent('autotask-wait', { detail: w })));
  on('drop-hover', (p) => showDropOverlay(!!(p && p.active), p && p.problem, p && p.database));
  on('database-dropped', (p) => { showDropOverlay(false); db.dropped(p); });
  on('import-dropped', (chosen) => {
    showDropOverlay(false);
    importDialog.dropped(chosen);
  });
  on('import-drop-refused', (p) => {
    showDropOverlay(false);
    toast((p && p.message) || 'That cannot be imported; drop one CSV file.', { kind: 'error' });
  });
  // A drag that ended without a leave event must not leave the overlay up.
  for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, () => { if (overlayShown) showDropOverlay(false); }, true);
}

async function start() {
  const shell = { toast, showError, confirm, clearUndo };
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));

  // Autotask settings need no database: they work even when it could not be opened.
  const autotaskDialog = createAutotaskDialog({ confirm });
  $('#autotask-button').addEventListener('click', () => autotaskDialog.open());
  const db = createDatabaseFlows(shell);
  $('#db-name').addEventListener('click', () => db.showDialog());

  const info = await api.appInfo();
  $('#db-name').textContent = info.database_name;
  if (info.database_path) $('#db-name').title = `${info.database_path}\nClick for New, Open, Recent, Save a copy, Close`;
  db.setInfo(info, showBanner);
  if (info.open_error) {
    const closed = !info.database_path;
    showBanner(closed ? info.open_error : `The database could not be opened: ${info.open_error}`, [
      { label: 'New database…', run: db.new },
      { label: 'Open database…', run: db.open },
    ]);
    $('#status').textContent = 'No database';
    disableEverything();
    api.listen('menu', (id) => {
      if (databaseMenu(id, db)) return;
      if (id === 'autotask-settings') autotaskDialog.open();
      else toast('No database is open, so there is nothing to import into or export.', { kind: 'error' });
    })
      .catch(() => {});
    api.listen('database-dropped', (p) => db.dropped(p)).catch(() => {});
    markReady();
    return;
  }

  const countryNames = new Map();
  const countriesReady = api.countries().then((list) => {
    for (const c of list) countryNames.set(c.code, c.name);
    return list;
  });
  countriesReady.catch(showError);

  const countryName = (code) => countryNames.get(code);
  const views = createViews();
  const dialog = createCustomerDialog(shell, countriesReady);
  // The page and the dialogs reach one another through these, set once all exist.
  let customerPage = null;
  let copyDialog = null;
  const openCustomer = (c, tab) => customerPage.open(c.customer_id ?? c, tab);
  const screen = createCustomersScreen(shell, dialog, countryName, {
    openCustomer: (c) => openCustomer(c),
    copyCustomer: (c) => copyDialog.open(c),
  });
  copyDialog = createCopyDialog(shell, {
    /** The copy exists: show it in the list and open its page. */
    onCopied: async (copy) => {
      await screen.afterAdd(copy);
      await openCustomer(copy);
    },
  });
  customerPage = createCustomerPage(shell, { views, dialog, copyDialog, countryName, screen });
  dialog.onSaved = (saved, previousId) => {
    screen.afterEdit(saved, previousId);
    customerPage.afterEdit(saved, previousId);
  };
  dialog.onClosed = () => { if (views.current === 'customers') screen.focusGrid(); };
  createJobsView(shell, { views, openCustomer: (c, tab) => openCustomer(c, tab) });
  createSettings(shell, {
    views,
    autotaskDialog,
    /** A deleted customer came back: the list shows it. */
    onRestored: (c) => screen.afterAdd(c),
    /** A service was added to the catalogue: the list's service filter offers it. */
    onServicesChanged: () => screen.servicesChanged(),
  });

  const importDialog = createImportDialog(shell, screen);
  const exportDialog = createExportDialog(shell, screen);
  const autotaskFlows = createAutotaskFlows(shell, screen);
  const flows = {
    import: () => importDialog.start(),
    export: () => exportDialog.open(),
    autotask: () => autotaskDialog.open(),
    refreshAll: () => autotaskFlows.refreshAll(),
    pull: () => autotaskFlows.pull(),
    /** Ctrl+N and Ctrl+F work from any view: they belong to the list. */
    showList: () => { if (views.current !== 'customers') views.show('customers'); },
  };
  $('#import-button').addEventListener('click', flows.import);
  $('#export-button').addEventListener('click', flows.export);
  $('#refresh-button').addEventListener('click', flows.refreshAll);
  $('#pull-button').addEventListener('click', flows.pull);
  shortcuts(flows);
  listenToWindow(flows, importDialog, db);
  await loadMeanings().catch(showError); // the badges' tooltips
  await screen.start();
  markReady();
}

/** Every control has its handler: tests (and nothing else) wait for this mark. */
function markReady() {
  document.documentElement.dataset.ready = 'true';
}

start().catch((err) => {
  showBanner(`Clientbook could not start: ${(err && err.message) || err}`);
  disableEverything();
  markReady();
});
