// The database file: the File menu's New / Open / Open recent / Save a copy / Close, the same in
// a "Database" dialog (the file name in the top bar opens it: keyboard and mouse reach it), a
// database file dropped on the window, and the banners of a read-only or closed database.
import * as api from '../../lib/api.js';
import { el } from '../../lib/dom.js';

export function createDatabaseFlows(shell) {
  const dialog = el('dialog', { id: 'db-dialog', 'aria-labelledby': 'db-title' });
  const path = el('p', { id: 'db-path', className: 'db-path' });
  const state = el('p', { id: 'db-state', className: 'db-state' });
  const recentList = el('ul', { id: 'db-recent', className: 'db-recent', 'aria-label': 'Recent databases' });
  const buttons = {
    new: el('button', { type: 'button', id: 'db-new' }, 'New database…'),
    open: el('button', { type: 'button', id: 'db-open' }, 'Open database…'),
    copy: el('button', { type: 'button', id: 'db-copy', title: 'A consistent copy, taken while you keep working' }, 'Save a copy…'),
    close: el('button', { type: 'button', id: 'db-close' }, 'Close database'),
  };
  const done = el('button', { type: 'button', id: 'db-done', className: 'primary' }, 'Done');
  dialog.append(
    el('h2', { id: 'db-title' }, 'Database'),
    path,
    state,
    el('div', { className: 'db-actions' }, buttons.new, buttons.open, buttons.copy, buttons.close),
    el('h3', { className: 'db-recent-title' }, 'Recent databases'),
    recentList,
    el('div', { className: 'dialog-buttons' }, done),
  );
  document.body.append(dialog);
  done.addEventListener('click', () => dialog.close());

  let info = null;
  let busy = false;

  /** Runs one File action; a switch or a close reloads the page onto the new state. */
  async function run(action, { reload = true, always = false } = {}) {
    if (busy) return;
    busy = true;
    try {
      const result = await action();
      if (always || (reload && result && result.name)) {
        location.reload();
        return;
      }
      if (result && result.name) shell.toast(`Saved a copy as “${result.name}”.`);
    } catch (err) {
      shell.showError(err); // the database that was open stays open
    } finally {
      busy = false;
    }
  }

  const flows = {
    new: () => run(api.dbNew),
    open: () => run(api.dbOpen),
    recent: (index) => run(() => api.dbOpenRecent(index)),
    copy: () => run(api.dbSaveCopy, { reload: false }),
    close: () => run(api.dbClose, { always: true }),
    /** A `.clientbook`/`.db` file was dropped: ask, then open it. */
    async dropped(p) {
      const name = (p && p.name) || 'the file';
      const ok = await shell.confirm(
        `Open the database “${name}”? The one open now is closed first; nothing in it is lost.`,
        'Open',
      );
      if (ok) run(api.dbOpenDropped);
    },
    async showDialog() {
      const recent = await api.dbRecent().catch(() => []);
      path.textContent = info && info.database_path ? info.database_path : 'No database is open.';
      state.textContent = info && info.read_only ? `Read-only: ${info.read_only}.` : '';
      state.hidden = !(info && info.read_only);
      const open = !!(info && info.database_path && !info.open_error);
      buttons.copy.disabled = !open;
      buttons.close.disabled = !open;
      recentList.replaceChildren(...(recent.length ? recent.map((f, i) => {
        const b = el('button', {
          type: 'button', className: 'db-recent-item', disabled: !f.exists, title: f.exists ? f.path : `Missing: ${f.path}`,
        }, f.name, f.exists ? '' : el('span', { className: 'db-missing' }, ' (missing)'));
        b.addEventListener('click', () => flows.recent(i));
        return el('li', {}, b);
      }) : [el('li', { className: 'db-none' }, 'None yet.')]));
      dialog.showModal();
      buttons.open.focus();
    },
  };
  buttons.new.addEventListener('click', flows.new);
  buttons.open.addEventListener('click', flows.open);
  buttons.copy.addEventListener('click', flows.copy);
  buttons.close.addEventListener('click', flows.close);

  return {
    ...flows,
    /** What app_info said; shows the banners that go with it. */
    setInfo(i, showBanner) {
      info = i;
      if (i.read_only) {
        showBanner(`This database is open read-only because ${i.read_only}. You can look at everything; to change it, save a copy and work on the copy.`, [
          { label: 'Save a copy…', run: flows.copy },
        ]);
      }
      if (i.upgrade_backup) {
        shell.toast(`This database came from an older Clientbook and was upgraded. A copy of it as it was is at ${i.upgrade_backup}.`, { timeout: 15000 });
      }
      // Values of an older file that are one identity without regard to case: both are kept,
      // and each sentence says what to do.
      for (const clash of i.identity_clashes || []) shell.toast(clash, { timeout: 30000 });
    },
  };
}
