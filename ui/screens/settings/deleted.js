// Settings ▸ Deleted customers: every deleted customer, newest first, with its history (what
// happened before and at the delete) and Restore. Restoring fails, with the backend's message,
// when the customer ID has been taken since.
import * as api from '../../lib/api.js';
import { el } from '../../lib/dom.js';
import { renderHistory } from '../../lib/history-text.js';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatAt(at) {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : when.format(d);
}

export function createDeletedSection(shell, { onRestored }) {
  const list = el('ul', { id: 'deleted-list', class: 'deleted-list' });
  const section = el('section', { id: 'settings-deleted', class: 'settings-card', 'aria-labelledby': 'settings-deleted-title' },
    el('h2', { id: 'settings-deleted-title', tabIndex: -1 }, 'Deleted customers'),
    el('p', { class: 'settings-intro' }, 'Deleted customers, newest first. Restore brings a customer back, with its history.'),
    list);

  function item(d) {
    const li = el('li', { class: 'deleted-item' });
    li.dataset.entry = String(d.entry);
    li.dataset.id = d.customer_id;
    const history = el('ol', { class: 'history deleted-history', hidden: true, 'aria-label': `History of ${d.name}` });
    const toggle = el('button', { type: 'button', class: 'history-toggle', 'aria-expanded': 'false' }, 'History');
    const restore = el('button', { type: 'button', class: 'restore' }, 'Restore');
    toggle.setAttribute('aria-label', `History of ${d.name}`);
    restore.setAttribute('aria-label', `Restore ${d.name}`);
    const error = el('p', { class: 'field-error deleted-error', role: 'alert', hidden: true });
    li.append(el('div', { class: 'deleted-head' },
      el('span', { class: 'deleted-name' }, d.name),
      el('span', { class: 'mono secondary' }, d.customer_id),
      el('time', { class: 'secondary', dateTime: d.deleted_at }, `deleted ${formatAt(d.deleted_at)}`),
      el('span', { class: 'deleted-buttons' }, toggle, restore)),
    error, history);

    toggle.addEventListener('click', async () => {
      const open = toggle.getAttribute('aria-expanded') === 'true';
      if (open) {
        history.hidden = true;
        toggle.setAttribute('aria-expanded', 'false');
        return;
      }
      try {
        renderHistory(history, await api.deletedHistory(d.entry));
        if (!history.children.length) history.append(el('li', { class: 'settings-empty' }, 'No history.'));
        history.hidden = false;
        toggle.setAttribute('aria-expanded', 'true');
      } catch (err) {
        shell.showError(err);
      }
    });
    restore.addEventListener('click', async () => {
      error.hidden = true;
      restore.disabled = true;
      try {
        const customer = await api.deletedRestore(d.entry);
        shell.clearUndo();
        shell.toast(`Restored “${customer.name}”.`);
        await load();
        Promise.resolve(onRestored(customer)).catch(shell.showError);
      } catch (err) {
        // Most often: the customer ID was taken since. Said here, beside the customer.
        error.textContent = (err && err.message) || String(err);
        error.hidden = false;
        restore.disabled = false;
        restore.focus();
      }
    });
    return li;
  }

  async function load() {
    try {
      const deleted = await api.deletedCustomers();
      list.replaceChildren(...deleted.map(item));
      if (!deleted.length) list.append(el('li', { class: 'settings-empty' }, 'No deleted customers.'));
    } catch (err) {
      shell.showError(err);
    }
  }

  return { section, load };
}
