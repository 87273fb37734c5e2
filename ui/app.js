// The shell of the window: start-up, keyboard shortcuts, toasts and the confirm dialog. Screens
// live in screens/; they get these helpers through `shell`.
import * as api from './api.js';
import { createCustomersScreen } from './screens/customers.js';
import { createCustomerDialog } from './screens/customer-dialog.js';

const $ = (sel) => document.querySelector(sel);

/** Toasts: one at a time; an Undo offer lasts until the next action replaces it. */
let pendingUndo = null;

function toast(message, { kind = 'info', action = null, timeout = 6000 } = {}) {
  const box = $('#toasts');
  box.replaceChildren();
  pendingUndo = null;
  const el = document.createElement('div');
  el.className = `toast ${kind}`;
  const text = document.createElement('span');
  text.textContent = message;
  el.append(text);
  if (action) {
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = action.className || '';
    btn.textContent = action.label;
    btn.addEventListener('click', () => { el.remove(); pendingUndo = null; action.run(); });
    el.append(btn);
    if (action.className === 'undo') pendingUndo = () => { el.remove(); pendingUndo = null; action.run(); };
  }
  box.append(el);
  if (timeout && !action) setTimeout(() => el.remove(), timeout);
}

function showError(err) {
  const message = (err && err.message) || String(err);
  if (err && err.kind === 'cancelled') return;
  toast(message, { kind: 'error', timeout: 9000 });
}

/** Asks before something irreversible; resolves true on confirm. Esc and Cancel say no. */
function confirmAction(message, okLabel = 'Delete') {
  const dialog = $('#confirm-dialog');
  $('#confirm-message').textContent = message;
  $('#confirm-ok').textContent = okLabel;
  return new Promise((resolve) => {
    const done = (answer) => {
      dialog.removeEventListener('close', onClose);
      $('#confirm-ok').onclick = null;
      $('#confirm-cancel').onclick = null;
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onClose = () => done(false);
    dialog.addEventListener('close', onClose);
    $('#confirm-ok').onclick = () => done(true);
    $('#confirm-cancel').onclick = () => done(false);
    dialog.showModal();
    $('#confirm-cancel').focus();
  });
}

function isTyping(target) {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement
    || target instanceof HTMLSelectElement;
}

async function start() {
  const shell = { toast, showError, confirmAction, clearUndo: () => { pendingUndo = null; $('#toasts').replaceChildren(); } };
  const info = await api.appInfo();
  $('#db-name').textContent = info.database_name;
  $('#db-name').title = info.database_path;
  if (info.open_error) {
    const banner = $('#banner');
    banner.textContent = `The database could not be opened: ${info.open_error}`;
    banner.hidden = false;
    for (const el of document.querySelectorAll('#create-form input, #create-form button, #search, #filter')) el.disabled = true;
    return;
  }
  const dialog = createCustomerDialog(shell);
  const screen = createCustomersScreen(shell, dialog);
  dialog.onSaved = (customer) => screen.afterEdit(customer);

  document.addEventListener('keydown', (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (document.querySelector('dialog[open]')) return; // dialogs handle their own keys
    if (mod && e.key.toLowerCase() === 'n') { e.preventDefault(); $('#new-name').focus(); }
    else if (mod && e.key.toLowerCase() === 'f') { e.preventDefault(); $('#search').focus(); $('#search').select(); }
    else if (mod && e.key.toLowerCase() === 'z' && !isTyping(e.target) && pendingUndo) { e.preventDefault(); pendingUndo(); }
  });
  await screen.load();
}

start().catch((err) => {
  const banner = document.querySelector('#banner');
  banner.textContent = `Clientbook could not start: ${(err && err.message) || err}`;
  banner.hidden = false;
});
