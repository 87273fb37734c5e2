// The edit dialog: every field of one customer, each error beside the field it belongs to.
// "Save" keeps the dialog open, "Save and close" closes it, "Cancel" or Esc discards. The backend
// checks every field and saves nothing unless all are valid, so the dialog only shows what it says.
import * as api from '../../lib/api.js';
import { byId, clearField, markField } from '../../lib/dom.js';
import { createMappingSection } from '../autotask/mapping.js';

const FIELDS = ['customer_id', 'name', 'street', 'zip', 'city', 'country', 'url', 'comment', 'validity'];
const $ = (sel) => document.querySelector(sel);
const number = new Intl.NumberFormat('en');
const input = (field) => $(`#f-${field}`);

export function createCustomerDialog(shell, countriesReady) {
  const { dialog, form } = byId('customer-');
  const { title, error: problem, note } = byId('dialog-');
  const buttons = ['#dialog-save', '#dialog-save-close'].map((sel) => $(sel));
  let originalId = null;
  let saving = false;
  let noteTimer = 0;
  let names = new Map();
  const mapping = createMappingSection({
    customerId: () => originalId,
    changed: (c) => { if (self.onSaved) self.onSaved(c, c.customer_id); },
  });

  countriesReady.then((list) => {
    names = new Map(list.map((c) => [c.code, c.name]));
    $('#country-list').replaceChildren(...list.map((c) => {
      const option = document.createElement('option');
      option.value = `${c.name} (${c.code})`;
      return option;
    }));
  }, () => { /* app.js reports it; the field still accepts codes and names */ });

  // ---- errors and hints -------------------------------------------------------------------------
  function clearError(field) {
    clearField(input(field), $(`#e-${field}`));
  }

  function clearErrors() {
    for (const f of FIELDS) clearError(f);
    problem.textContent = '';
    problem.hidden = true;
  }

  /** Puts `message` beside `field`; false if the form has no such field. */
  function markError(field, message) {
    const el = field && input(field);
    if (!el) return false;
    markField(el, $(`#e-${field}`), message);
    return true;
  }

  function showProblem(message) {
    problem.textContent = message;
    problem.hidden = false;
  }

  /** A quiet "n / limit" hint near a field's limit. The backend enforces it, not maxlength. */
  function updateCount(el) {
    const limit = Number(el.dataset.limit);
    const out = $(`#n-${el.name}`);
    if (!limit || !out) return;
    const n = [...el.value].length; // characters, as the backend counts them
    out.hidden = n < limit * 0.8;
    out.textContent = `${number.format(n)} / ${number.format(limit)}`;
    out.classList.toggle('over', n > limit);
  }

  for (const f of FIELDS) {
    const el = input(f);
    if (el.dataset.limit) el.title = `Up to ${number.format(Number(el.dataset.limit))} characters`;
    el.addEventListener('input', () => {
      updateCount(el);
      if (el.classList.contains('invalid')) clearError(f);
      note.textContent = '';
    });
  }

  // ---- filling and saving -----------------------------------------------------------------------
  function fill(c) {
    originalId = c.customer_id;
    title.textContent = c.own ? `Edit your own company “${c.name}”` : `Edit “${c.name}”`;
    for (const f of FIELDS) input(f).value = c[f] ?? '';
    input('country').value = c.country ? `${names.get(c.country) || c.country} (${c.country})` : '';
    const validity = input('validity');
    validity.disabled = !!c.own;
    validity.title = c.own ? 'Your own company is always valid' : '';
    for (const f of FIELDS) updateCount(input(f));
    mapping.update(c);
  }

  /** Opens the dialog on one customer; resolves with the error if it could not (else null). */
  async function open(customerId) {
    if (dialog.open) return null;
    try {
      const [c] = await Promise.all([api.customerGet(customerId), countriesReady.catch(() => null)]);
      clearErrors();
      clearTimeout(noteTimer);
      note.textContent = '';
      fill(c);
      mapping.show(c);
      dialog.showModal();
      input('name').focus();
      return null;
    } catch (err) {
      shell.showError(err);
      return err;
    }
  }

  function setBusy(busy) {
    saving = busy;
    for (const b of buttons) b.disabled = busy;
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  async function save(close) {
    if (saving || originalId == null) return;
    setBusy(true);
    clearErrors();
    clearTimeout(noteTimer);
    note.textContent = '';
    const fields = {};
    for (const f of FIELDS) fields[f] = input(f).value;
    const previousId = originalId;
    try {
      const saved = await api.customerUpdate(previousId, fields);
      shell.clearUndo();
      fill(saved); // shows the stored form: trimmed, URL with its scheme, the new ID
      if (self.onSaved) self.onSaved(saved, previousId);
      if (close) {
        dialog.close();
      } else {
        note.textContent = 'Saved';
        noteTimer = setTimeout(() => { note.textContent = ''; }, 2500);
      }
    } catch (err) {
      showSaveError(err);
    } finally {
      setBusy(false);
    }
  }

  function showSaveError(err) {
    if (err.kind === 'invalid' && err.fields && err.fields.length) {
      let focus = null;
      const unplaced = [];
      for (const f of err.fields) {
        if (markError(f.field, f.message)) focus = focus || input(f.field);
        else unplaced.push(`${f.label}: ${f.message}`);
      }
      if (unplaced.length) showProblem(unplaced.join(' '));
      if (focus) focus.focus();
      return;
    }
    if ((err.kind === 'invalid' || err.kind === 'conflict') && markError(err.field, err.message)) {
      input(err.field).focus();
      return;
    }
    showProblem(err.message);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save(true);
  });
  $('#dialog-save').addEventListener('click', () => save(false));
  $('#dialog-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    clearTimeout(noteTimer);
    originalId = null;
    if (self.onClosed) self.onClosed();
  });

  const self = { open, onSaved: null, onClosed: null };
  return self;
}
