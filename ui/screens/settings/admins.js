// Settings ▸ Administrators: the MSP's administrators (access to every customer, listed on every
// customer's Users tab) — the table with Remove, and the add form with errors beside its inputs.
import * as api from '../../lib/api.js';
import { addForm, el } from '../../lib/dom.js';

export function createAdminsSection(shell) {
  const tbody = el('tbody');
  const table = el('table', { id: 'admins-table', class: 'plain-table' },
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'Email'),
      el('th', { scope: 'col', class: 'actions' }, el('span', { class: 'visually-hidden' }, 'Actions')))),
    tbody);
  const empty = el('p', { class: 'settings-empty', hidden: true }, 'No administrators yet.');
  const form = addForm(shell, {
    id: 'admin-form',
    fields: [
      { key: 'name', label: 'Name', input: el('input', { id: 'admin-name', name: 'name', autocomplete: 'off', placeholder: 'Jane Doe' }) },
      { key: 'email', label: 'Email', input: el('input', { id: 'admin-email', name: 'email', type: 'email', autocomplete: 'off', spellcheck: false, placeholder: 'jane@example.com' }) },
    ],
    button: { id: 'admin-add', label: 'Add administrator' },
    submit: (inputs) => api.administratorAdd(inputs.name.value, inputs.email.value),
    async added(admin) {
      shell.toast(`Added the administrator “${admin.name}”.`);
      await load();
    },
  });
  const section = el('section', { id: 'settings-admins', class: 'settings-card', 'aria-labelledby': 'settings-admins-title' },
    el('h2', { id: 'settings-admins-title', tabIndex: -1 }, 'Administrators'),
    el('p', { class: 'settings-intro' }, 'MSP administrators have access to every customer; they are shown on every customer\'s Users tab.'),
    table, empty, form);

  function render(list) {
    tbody.replaceChildren(...list.map((a) => {
      const remove = el('button', { type: 'button', class: 'remove', 'aria-label': `Remove ${a.name}` }, 'Remove');
      remove.addEventListener('click', () => removeAdmin(a));
      const tr = el('tr', {}, el('td', {}, a.name), el('td', { class: 'mono' }, a.email), el('td', { class: 'actions' }, remove));
      tr.dataset.email = a.email;
      return tr;
    }));
    table.hidden = !list.length;
    empty.hidden = !!list.length;
  }

  async function load() {
    try {
      render(await api.administrators());
    } catch (err) {
      shell.showError(err);
    }
  }

  async function removeAdmin(a) {
    if (!await shell.confirm(`Remove the administrator “${a.name}” (${a.email})? They lose access to every customer.`, 'Remove')) return;
    try {
      await api.administratorDelete(a.email);
      shell.toast(`Removed the administrator “${a.name}”.`);
    } catch (err) {
      shell.showError(err);
    }
    await load();
  }

  return { section, load };
}
