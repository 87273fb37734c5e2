// The Autotask menu's two flows, each in its own dialog:
// - Refresh all mappings: re-checks every mapped customer in batches, with a progress bar and
//   Cancel (nothing is written when cancelled), then the counts per status.
// - Import companies from Autotask: reads every active company of type Customer, previews the
//   customers it would create (ID, name, Autotask id; companies already mapped are skipped),
//   then creates and maps them in one transaction.
import * as api from '../../lib/api.js';
import { waitText } from '../../lib/wait-text.js';

const $ = (sel) => document.querySelector(sel);
const number = new Intl.NumberFormat('en');
const n = (count, one, many = `${one}s`) => `${number.format(count)} ${count === 1 ? one : many}`;

/** `screen.afterImport(report)` refreshes the list after rows were written. */
export function createAutotaskFlows(shell, screen) {
  // ---- refresh all -------------------------------------------------------------------------------
  const refresh = {
    dialog: $('#refresh-dialog'),
    text: $('#refresh-text'),
    bar: $('#refresh-progress'),
    counts: $('#refresh-counts'),
    cancel: $('#refresh-cancel'),
    close: $('#refresh-close'),
    running: false,
  };

  function refreshDone(summary) {
    refresh.bar.max = 1;
    refresh.bar.value = 1;
    refresh.text.textContent = summary.checked
      ? `Checked ${n(summary.checked, 'mapped customer')} with Autotask.`
      : 'No customer is mapped to an Autotask company yet: open a customer and use “Map to Autotask company…”.';
    const rows = [
      ['ok', 'OK', summary.ok],
      ['renamed', 'Renamed in Autotask (new name cached)', summary.renamed],
      ['missing', 'Missing from Autotask', summary.missing],
      ['invalid', 'Inactive or not readable', summary.invalid],
    ];
    refresh.counts.replaceChildren(...rows.map(([status, label, count]) => {
      const li = document.createElement('li');
      const badge = document.createElement('span');
      badge.className = `at-badge at-${status}`;
      badge.textContent = number.format(count);
      li.append(badge, ` ${label}`);
      return li;
    }));
    refresh.counts.hidden = !summary.checked;
  }

  async function refreshAll() {
    if (refresh.running || document.querySelector('dialog[open]')) return;
    refresh.running = true;
    refresh.counts.hidden = true;
    refresh.close.hidden = true;
    refresh.cancel.hidden = false;
    refresh.cancel.disabled = false;
    refresh.bar.removeAttribute('value');
    refresh.text.textContent = 'Asking Autotask about every mapped company…';
    refresh.dialog.showModal();
    refresh.cancel.focus();
    try {
      const summary = await api.autotaskRefreshAll(({ done, total }) => {
        if (!total) return;
        refresh.bar.max = total;
        refresh.bar.value = done;
        refresh.text.textContent = `Checked ${number.format(done)} of ${n(total, 'Autotask company', 'Autotask companies')}…`;
      });
      refreshDone(summary);
      screen.afterImport({ inserted: 0 });
    } catch (err) {
      refresh.bar.value = 0;
      refresh.text.textContent = err.kind === 'cancelled'
        ? 'Cancelled: no mapping was changed.'
        : `${err.message} No mapping was changed.`;
      refresh.text.classList.toggle('error', err.kind !== 'cancelled');
    } finally {
      refresh.running = false;
      refresh.cancel.hidden = true;
      refresh.close.hidden = false;
      if (refresh.dialog.open) refresh.close.focus();
    }
  }

  refresh.cancel.addEventListener('click', () => {
    refresh.cancel.disabled = true;
    refresh.text.textContent = 'Cancelling after the current batch…';
    api.autotaskCancel().catch(shell.showError);
  });
  refresh.dialog.addEventListener('cancel', (e) => {
    if (refresh.running) { // Esc while running = Cancel, and the dialog stays to say so
      e.preventDefault();
      if (!refresh.cancel.disabled) refresh.cancel.click();
    }
  });
  refresh.dialog.addEventListener('close', () => refresh.text.classList.remove('error'));

  // ---- pull companies ----------------------------------------------------------------------------
  const pull = {
    dialog: $('#pull-dialog'),
    form: $('#pull-form'),
    text: $('#pull-text'),
    bar: $('#pull-progress'),
    preview: $('#pull-preview'),
    rows: $('#pull-rows'),
    errors: $('#pull-errors'),
    cancel: $('#pull-cancel'),
    run: $('#pull-run'),
    busy: false,
    /** Bumped on close: an answer for a closed dialog is dropped. */
    session: 0,
  };

  function pullSay(message, kind = '') {
    pull.text.textContent = message;
    pull.text.className = `flow-text${kind ? ` ${kind}` : ''}`;
  }

  function showPreview(report) {
    pull.bar.hidden = true;
    const parts = [`${n(report.companies, 'active customer company', 'active customer companies')} in Autotask`];
    parts.push(`${number.format(report.inserted)} to create`);
    if (report.already_mapped) parts.push(`${number.format(report.already_mapped)} already mapped`);
    const invalid = report.skipped - report.already_mapped;
    if (invalid) parts.push(`${number.format(invalid)} cannot become customers (listed below)`);
    pullSay(`${parts.join(' · ')}.${report.inserted ? ' Nothing is written until you choose Import.' : ''}`);
    pull.rows.replaceChildren(...report.created.map((c) => {
      const tr = document.createElement('tr');
      for (const [text, cls] of [[c.company_name, ''], [c.customer_id, ''], [String(c.company_id), 'num']]) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.append(td);
      }
      return tr;
    }));
    pull.preview.hidden = !report.created.length;
    pull.errors.replaceChildren(...report.errors.map((e) => {
      const li = document.createElement('li');
      li.textContent = e.message;
      return li;
    }));
    pull.errors.hidden = !report.errors.length;
    pull.run.disabled = !report.inserted;
    pull.run.textContent = report.inserted ? `Import ${n(report.inserted, 'customer')}` : 'Nothing to import';
  }

  async function pullOpen() {
    if (pull.busy || document.querySelector('dialog[open]')) return;
    const session = ++pull.session;
    pull.busy = true;
    pull.preview.hidden = pull.errors.hidden = true;
    pull.run.disabled = true;
    pull.run.textContent = 'Import';
    pull.bar.hidden = false;
    pull.bar.removeAttribute('value');
    pullSay('Reading the active customer companies from Autotask (every page)…', 'busy');
    pull.dialog.showModal();
    pull.cancel.focus();
    try {
      const report = await api.autotaskPull(true);
      if (session !== pull.session) return;
      showPreview(report);
      (report.inserted ? pull.run : pull.cancel).focus();
    } catch (err) {
      if (session !== pull.session) return;
      pull.bar.hidden = true;
      pullSay(`${err.message} Nothing was imported.`, 'error');
    } finally {
      if (session === pull.session) pull.busy = false;
    }
  }

  async function pullRun() {
    if (pull.busy || pull.run.disabled) return;
    const session = pull.session;
    pull.busy = true;
    pull.writing = true; // the dialog stays until the transaction has ended
    pull.run.disabled = pull.cancel.disabled = true;
    pull.bar.hidden = false;
    pull.bar.removeAttribute('value');
    pullSay('Reading Autotask again and creating the customers in one transaction…', 'busy');
    try {
      const report = await api.autotaskPull(false);
      await screen.afterImport(report);
      if (session === pull.session) pull.dialog.close();
      shell.toast(`${n(report.inserted, 'customer')} created from Autotask and mapped; ${n(report.skipped, 'company', 'companies')} skipped (${number.format(report.already_mapped)} already mapped).`);
    } catch (err) {
      if (session !== pull.session) { shell.showError(err); return; }
      pull.bar.hidden = true;
      pullSay(`${err.message} Nothing was imported.`, 'error');
      pull.run.disabled = false;
    } finally {
      pull.writing = false;
      pull.cancel.disabled = false;
      if (session === pull.session) pull.busy = false;
    }
  }

  pull.dialog.addEventListener('cancel', (e) => {
    if (pull.writing) e.preventDefault();
  });
  pull.form.addEventListener('submit', (e) => {
    e.preventDefault();
    pullRun();
  });
  pull.cancel.addEventListener('click', () => pull.dialog.close());
  pull.dialog.addEventListener('close', () => {
    pull.session += 1; // a late answer to this session is dropped
    pull.busy = false;
    pull.rows.replaceChildren();
    pull.errors.replaceChildren();
  });

  // A 429 wait, said where the user is waiting.
  document.addEventListener('autotask-wait', (e) => {
    if (refresh.running) refresh.text.textContent = waitText(e.detail);
    else if (pull.busy && pull.dialog.open) pullSay(waitText(e.detail), 'busy');
  });

  return { refreshAll, pull: pullOpen };
}
