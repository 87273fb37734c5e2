// Settings ▸ Autotask: the API user's three values, saved in the OS keychain; Test connection
// asks Autotask for the user's zone. The secret and the integration code are never shown or
// pre-filled — the backend sends back only where the credentials come from and the user name.
// When they come from the CLIENTBOOK_AUTOTASK_* environment variables, Save and Forget are off.
import * as api from '../../lib/api.js';
import { byId, clearField, markField, returningFocus } from '../../lib/dom.js';

const $ = (sel) => document.querySelector(sel);
/** Backend field name → input id suffix. */
const INPUTS = { username: 'username', secret: 'secret', integration_code: 'code' };
const input = (field) => $(`#at-${INPUTS[field]}`);
const errorBox = (field) => $(`#e-at-${INPUTS[field]}`);
const LABELS = { username: 'API user name', secret: 'secret', integration_code: 'integration code' };

export function createAutotaskDialog(shell) {
  const { dialog, form } = byId('autotask-');
  const { source, status, save, test, forget } = byId('at-');
  const focusBack = returningFocus();
  let fromEnv = false;
  let saved = false;
  let busy = false;

  // ---- errors beside the fields ------------------------------------------------------------------
  function clearErrors() {
    for (const field of Object.keys(INPUTS)) clearField(input(field), errorBox(field));
  }

  function markError(field, message) {
    const el = field && INPUTS[field] && input(field);
    if (!el) return false;
    markField(el, errorBox(field), message);
    return true;
  }

  /** `kind`: '' (plain), 'ok', 'error' or 'busy'. */
  function say(message, kind = '') {
    status.textContent = message;
    status.className = `at-status${kind ? ` ${kind}` : ''}`;
  }

  /**
   * The error beside every field it names, with a short pointer in the status line; an error
   * that names no field goes in the status line whole.
   */
  function showError(err, failed) {
    const fields = err.fields && err.fields.length ? err.fields : (err.field ? [{ field: err.field, message: err.message }] : []);
    const marked = fields.filter((f) => markError(f.field, f.message)).map((f) => f.field);
    if (!marked.length) {
      say(err.message, 'error');
      return;
    }
    say(`${failed}: check the ${marked.map((f) => LABELS[f]).join(' and the ')}.`, 'error');
    const first = input(marked[0]);
    if (!first.disabled) first.focus();
  }

  function setBusy(on, message) {
    busy = on;
    form.setAttribute('aria-busy', on ? 'true' : 'false');
    save.disabled = on || fromEnv;
    forget.disabled = on || fromEnv || !saved;
    test.disabled = on;
    if (on) say(message, 'busy');
  }

  // ---- where the credentials come from -----------------------------------------------------------
  function describe(s) {
    fromEnv = s.source === 'environment';
    saved = s.source === 'keychain';
    for (const field of ['username', 'secret', 'integration_code']) input(field).disabled = fromEnv;
    $('#at-username').value = s.username || '';
    $('#at-secret').value = '';
    $('#at-code').value = '';
    $('#at-secret').placeholder = saved || fromEnv ? 'saved — type to replace' : '';
    $('#at-code').placeholder = saved || fromEnv ? 'saved — type to replace' : '';
    if (fromEnv) {
      $('#at-secret').placeholder = $('#at-code').placeholder = 'set in the environment';
      source.textContent = `The credentials of ${s.username} come from the CLIENTBOOK_AUTOTASK_* environment variables; change them there. Save and Forget are off while they are set.`;
    } else if (saved) {
      source.textContent = `The credentials of ${s.username} are saved in the OS keychain. To change them, enter all three values and Save.`;
    } else {
      source.textContent = 'No credentials are saved yet. Enter the API user’s name, secret and integration code (tracking identifier) from Autotask, then Save.';
    }
  }

  async function refresh() {
    try {
      describe(await api.autotaskStatus());
      return true;
    } catch (err) {
      describe({ source: null, username: null });
      source.textContent = 'Clientbook could not read the saved credentials.';
      say(err.message, 'error');
      return false;
    }
  }

  // ---- actions -----------------------------------------------------------------------------------
  async function run(message, failed, work) {
    if (busy) return;
    clearErrors();
    setBusy(true, message);
    try {
      await work();
    } catch (err) {
      if (dialog.open) showError(err, failed);
    } finally {
      setBusy(false);
    }
  }

  const doSave = () => {
    if (fromEnv) return;
    run('Saving in the OS keychain…', 'Not saved', async () => {
      await api.autotaskSave($('#at-username').value, $('#at-secret').value, $('#at-code').value);
      await refresh();
      say('Saved in the OS keychain. Test connection checks them with Autotask.', 'ok');
    });
  };

  const doTest = () => run('Connecting to Autotask…', 'Not connected', async () => {
    const zone = await api.autotaskTest();
    say(`Connected — zone ${zone.url}${zone.name ? ` (${zone.name})` : ''}`, 'ok');
  });

  async function doForget() {
    if (busy || fromEnv || !saved) return;
    const yes = await shell.confirm('Forget the Autotask credentials saved in the OS keychain? Clientbook cannot reach Autotask until they are entered again.', 'Forget');
    if (!yes || !dialog.open) { forget.focus(); return; }
    await run('Removing from the OS keychain…', 'Not removed', async () => {
      await api.autotaskForget();
      await refresh();
      say('The credentials were removed from the OS keychain.');
    });
    $('#at-username').focus();
  }

  /** Opens the dialog (ignored while another dialog is open). */
  async function open() {
    if (document.querySelector('dialog[open]')) return;
    focusBack.remember();
    clearErrors();
    say('');
    fromEnv = false;
    saved = false;
    setBusy(true, 'Reading the saved credentials…');
    dialog.showModal();
    const ok = await refresh();
    setBusy(false);
    if (ok) say('');
    const first = fromEnv ? test : ($('#at-username').value ? $('#at-secret') : $('#at-username'));
    if (dialog.open) first.focus();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    doSave();
  });
  test.addEventListener('click', doTest);
  forget.addEventListener('click', doForget);
  $('#at-close').addEventListener('click', () => dialog.close());
  for (const field of Object.keys(INPUTS)) {
    input(field).addEventListener('input', () => {
      const el = input(field);
      if (el.getAttribute('aria-invalid')) {
        el.removeAttribute('aria-invalid');
        el.classList.remove('invalid');
        errorBox(field).hidden = true;
      }
    });
  }
  dialog.addEventListener('close', () => {
    $('#at-secret').value = ''; // nothing typed stays in the page
    $('#at-code').value = '';
    focusBack.restore();
  });

  return { open };
}
