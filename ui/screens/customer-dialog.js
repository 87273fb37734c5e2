// The edit dialog: every field of one customer, errors beside the fields they belong to.
// Save keeps it open, Save and close closes it, Cancel or Esc discards.
import * as api from '../api.js';

const FIELDS = ['customer_id', 'name', 'street', 'zip', 'city', 'country', 'url', 'comment', 'validity'];
const $ = (sel) => document.querySelector(sel);

export function createCustomerDialog(shell) {
  const dialog = $('#customer-dialog');
  const form = $('#customer-form');
  let originalId = null;
  let countryNames = new Map();
  let saving = false;

  api.countries().then((list) => {
    const datalist = $('#country-list');
    countryNames = new Map(list.map((c) => [c.code, c.name]));
    datalist.replaceChildren(...list.map((c) => {
      const option = document.createElement('option');
      option.value = `${c.name} (${c.code})`;
      return option;
    }));
  }).catch(shell.showError);

  function clearErrors() {
    for (const f of FIELDS) {
      $(`#e-${f}`).textContent = '';
      $(`#f-${f}`).removeAttribute('aria-invalid');
      $(`#f-${f}`).classList.remove('invalid');
    }
    $('#dialog-error').hidden = true;
    $('#dialog-note').textContent = '';
  }

  function markError(field, message) {
    const input = $(`#f-${field}`);
    if (!input) return false;
    $(`#e-${field}`).textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.classList.add('invalid');
    return true;
  }

  function fill(c) {
    originalId = c.customer_id;
    $('#dialog-title').textContent = c.own ? `Edit your own company` : `Edit “${c.name}”`;
    for (const f of FIELDS) $(`#f-${f}`).value = c[f] ?? '';
    $('#f-country').value = c.country ? `${countryNames.get(c.country) || c.country} (${c.country})` : '';
    const validity = $('#f-validity');
    validity.disabled = c.own;
    validity.title = c.own ? 'Your own company is always valid' : '';
  }

  async function open(customerId) {
    try {
      const c = await api.customerGet(customerId);
      clearErrors();
      fill(c);
      dialog.showModal();
      $('#f-name').focus();
    } catch (err) {
      shell.showError(err);
    }
  }

  async function save(close) {
    if (saving) return;
    saving = true;
    clearErrors();
    const fields = {};
    for (const f of FIELDS) fields[f] = $(`#f-${f}`).value;
    try {
      const saved = await api.customerUpdate(originalId, fields);
      shell.clearUndo();
      fill(saved);
      api_onSaved(saved);
      if (close) dialog.close();
      else $('#dialog-note').textContent = 'Saved.';
    } catch (err) {
      const marked = (err.fields || []).map((f) => markError(f.field, f.message)).some(Boolean)
        || (err.field && markError(err.field, err.message));
      if (marked) {
        const first = form.querySelector('[aria-invalid="true"]');
        if (first) first.focus();
      } else {
        $('#dialog-error').textContent = err.message || String(err);
        $('#dialog-error').hidden = false;
      }
    } finally {
      saving = false;
    }
  }

  const self = { open, onSaved: null };
  const api_onSaved = (c) => { if (self.onSaved) self.onSaved(c); };

  form.addEventListener('submit', (e) => { e.preventDefault(); save(true); });
  $('#dialog-save').addEventListener('click', () => save(false));
  $('#dialog-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { document.querySelector('#grid').focus(); });
  return self;
}
