// Settings ▸ Group template: the groups (name + permissions) every new customer starts with.
// Edited as a whole and saved at once; existing customers keep the groups they have.
import * as api from '../../lib/api.js';
import { el } from '../../lib/dom.js';

export function createTemplateSection(shell) {
  const problem = el('p', { id: 'template-error', class: 'dialog-error', role: 'alert', hidden: true });
  const tbody = el('tbody');
  const headRow = el('tr');
  const table = el('table', { id: 'template-table', class: 'plain-table' }, el('thead', {}, headRow), tbody);
  const addRow = el('button', { type: 'button', id: 'template-add' }, 'Add group');
  const save = el('button', { type: 'button', id: 'template-save', class: 'primary' }, 'Save template');
  const note = el('span', { class: 'note', 'aria-live': 'polite' });
  const section = el('section', { id: 'settings-template', class: 'settings-card', 'aria-labelledby': 'settings-template-title' },
    el('h2', { id: 'settings-template-title', tabIndex: -1 }, 'Group template'),
    el('p', { class: 'settings-intro' }, 'New customers start with these groups. Saving does not change the groups of existing customers.'),
    problem, table,
    el('div', { class: 'settings-buttons' }, addRow, note, save));

  let permissions = []; // [{name, label}]
  let dirty = false;

  function setDirty(on) {
    dirty = on;
    note.textContent = on ? 'Unsaved changes' : '';
  }

  function groupRow(group) {
    const tr = el('tr', { class: 'template-group' });
    const name = el('input', { class: 'template-name', value: group.name, autocomplete: 'off', 'aria-label': 'Group name', placeholder: 'Group name' });
    tr.append(el('td', {}, name));
    for (const p of permissions) {
      const box = el('input', { type: 'checkbox', checked: group.permissions.includes(p.name), 'aria-label': p.label });
      box.dataset.permission = p.name;
      tr.append(el('td', { class: 'center' }, box));
    }
    const remove = el('button', { type: 'button', class: 'remove' }, 'Remove');
    const label = () => remove.setAttribute('aria-label', `Remove group ${name.value || '(unnamed)'}`);
    label();
    name.addEventListener('input', label);
    remove.addEventListener('click', () => {
      const next = tr.nextElementSibling || tr.previousElementSibling;
      tr.remove();
      setDirty(true);
      (next ? next.querySelector('input') : addRow).focus();
    });
    tr.append(el('td', { class: 'actions' }, remove));
    return tr;
  }

  function render(groups) {
    headRow.replaceChildren(el('th', { scope: 'col' }, 'Group'),
      ...permissions.map((p) => el('th', { scope: 'col', class: 'center perm', title: p.label }, p.label)),
      el('th', { scope: 'col', class: 'actions' }, el('span', { class: 'visually-hidden' }, 'Actions')));
    tbody.replaceChildren(...groups.map(groupRow));
    setDirty(false);
  }

  function collect() {
    return [...tbody.rows].map((tr) => ({
      name: tr.querySelector('.template-name').value,
      permissions: [...tr.querySelectorAll('input[type=checkbox]')].filter((b) => b.checked).map((b) => b.dataset.permission),
    }));
  }

  async function load() {
    if (dirty) return; // coming back to Settings keeps an edit in progress
    try {
      const [perms, groups] = await Promise.all([api.groupPermissions(), api.templateGroups()]);
      permissions = perms;
      problem.hidden = true;
      render(groups);
    } catch (err) {
      shell.showError(err);
    }
  }

  table.addEventListener('input', () => setDirty(true));
  table.addEventListener('change', () => setDirty(true));
  addRow.addEventListener('click', () => {
    const tr = groupRow({ name: '', permissions: [] });
    tbody.append(tr);
    setDirty(true);
    tr.querySelector('input').focus();
  });
  save.addEventListener('click', async () => {
    problem.hidden = true;
    save.disabled = true;
    try {
      const saved = await api.templateGroupsSet(collect());
      render(saved);
      shell.toast('Saved the group template. New customers start with these groups.');
    } catch (err) {
      const fields = err && Array.isArray(err.fields) && err.fields.length ? err.fields : null;
      problem.textContent = fields ? fields.map((f) => f.message).join(' ') : (err && err.message) || String(err);
      problem.hidden = false;
    } finally {
      save.disabled = false;
    }
  });

  return { section, load };
}
