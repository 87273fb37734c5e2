// The Copy… dialog: a new customer from an existing one — a new name (the ID derived as usual
// unless typed), and which parts come along: profile fields, services with their plans, groups.
// Users, jobs and the Autotask mapping never do; the backend enforces that, the dialog says it.
import * as api from '../../lib/api.js';
import { el, errorFor, fieldErrors, submitOnce } from '../../lib/dom.js';

/** `<label class="check"><input type=checkbox> label</label>` with a muted detail line. */
function check(id, label) {
  const box = el('input', { type: 'checkbox', id, checked: true });
  const detail = el('span', { class: 'copy-detail' });
  const row = el('label', { class: 'check copy-part', htmlFor: id }, box, el('span', { class: 'copy-part-label' }, label, detail));
  return { row, box, detail };
}

export function createCopyDialog(shell, { onCopied }) {
  const title = el('h2', { id: 'copy-title' }, 'Copy customer');
  const problem = el('p', { class: 'dialog-error', role: 'alert', hidden: true });
  const inputs = {
    name: el('input', { id: 'copy-name', name: 'name', required: true, 'aria-required': 'true', autocomplete: 'off' }),
    customer_id: el('input', { id: 'copy-customer_id', name: 'customer_id', spellcheck: false, autocomplete: 'off' }),
  };
  const errors = { name: errorFor(inputs.name), customer_id: errorFor(inputs.customer_id) };
  inputs.customer_id.setAttribute('aria-describedby', 'copy-customer_id-error copy-id-hint');
  const idHint = el('span', { id: 'copy-id-hint', class: 'copy-hint' }, 'Leave empty to derive it from the name.');
  const profile = check('copy-profile', 'Profile');
  profile.detail.textContent = 'address, country, URL, comment';
  const services = check('copy-services', 'Services with their plans');
  const groups = check('copy-groups', 'Groups');
  const parts = el('fieldset', { class: 'copy-parts' }, el('legend', { class: 'visually-hidden' }, 'What to copy'), profile.row, services.row, groups.row);
  const never = el('p', { class: 'copy-never' },
    'Users, jobs and the Autotask mapping are never copied. The copy starts inactive (temporarily) with the note “Add users and activate”.');
  const cancel = el('button', { type: 'button', id: 'copy-cancel' }, 'Cancel');
  const submit = el('button', { type: 'submit', id: 'copy-submit', class: 'primary' }, 'Copy');
  const form = el('form', { id: 'copy-form', method: 'dialog', noValidate: true, autocomplete: 'off' },
    title, problem,
    el('div', { class: 'fields' },
      el('label', { htmlFor: 'copy-name' }, 'New name'),
      el('div', { class: 'field' }, inputs.name, errors.name),
      el('label', { htmlFor: 'copy-customer_id' }, 'Customer ID'),
      el('div', { class: 'field' }, inputs.customer_id, errors.customer_id, idHint),
      el('span', { class: 'fields-label' }, 'Copy'),
      el('div', { class: 'field' }, parts)),
    never,
    el('div', { class: 'dialog-buttons' }, cancel, submit));
  const dialog = el('dialog', { id: 'copy-dialog', 'aria-labelledby': 'copy-title' }, form);
  document.body.append(dialog);

  let source = null; // {customer_id, name} of the customer being copied
  let suggestSeq = 0;

  const fieldProblems = fieldErrors(inputs, errors, problem, shell);

  /** The ID the backend would derive, as the ID field's placeholder; the latest answer wins. */
  async function suggest() {
    const seq = ++suggestSeq;
    const name = inputs.name.value.trim();
    if (!name) { inputs.customer_id.placeholder = ''; return; }
    try {
      const id = await api.customerSuggestId(name);
      if (seq === suggestSeq) inputs.customer_id.placeholder = id || '';
    } catch {
      if (seq === suggestSeq) inputs.customer_id.placeholder = '';
    }
  }

  function describe(detail, items, none) {
    detail.textContent = items.length ? items.join(', ') : none;
    detail.title = detail.textContent;
  }

  async function open(customer) {
    if (dialog.open || !customer) return;
    source = { customer_id: customer.customer_id, name: customer.name };
    fieldProblems.clear();
    title.textContent = `Copy “${source.name}”`;
    inputs.name.value = `${source.name} (copy)`;
    inputs.customer_id.value = '';
    inputs.customer_id.placeholder = '';
    for (const part of [profile, services, groups]) part.box.checked = true;
    services.detail.textContent = 'loading…';
    groups.detail.textContent = 'loading…';
    dialog.showModal();
    inputs.name.focus();
    inputs.name.select();
    suggest();
    const id = source.customer_id;
    const [svc, grp] = await Promise.allSettled([api.customerServices(id), api.groupsList(id)]);
    if (!dialog.open || !source || source.customer_id !== id) return;
    if (svc.status === 'fulfilled') describe(services.detail, svc.value.map((s) => `${s.service} (${s.plan})`), 'none');
    else { services.detail.textContent = ''; shell.showError(svc.reason); }
    if (grp.status === 'fulfilled') {
      describe(groups.detail, grp.value.map((g) => g.name), 'none');
      if (grp.value.length) groups.detail.textContent += ' — copied without members';
    } else { groups.detail.textContent = ''; shell.showError(grp.reason); }
  }

  async function copy() {
    if (!source) return;
    const from = source;
    const options = {
      name: inputs.name.value,
      customer_id: inputs.customer_id.value.trim() || null,
      profile: profile.box.checked,
      services: services.box.checked,
      groups: groups.box.checked,
    };
    const made = await api.customerCopy(from.customer_id, options);
    shell.clearUndo();
    dialog.close();
    shell.toast(`Copied “${from.name}” to “${made.name}”.`);
    await onCopied(made);
  }

  function showCopyError(err) {
    if (!dialog.open) shell.showError(err); // onCopied failed after the copy was made
    else fieldProblems.show(err);
  }

  inputs.name.addEventListener('input', suggest);
  submitOnce(form, submit, { clear: () => fieldProblems.clear(), run: copy, fail: showCopyError });
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { source = null; });

  return {
    /** Opens the dialog for `customer` (a listing or a full customer). */
    open,
  };
}
