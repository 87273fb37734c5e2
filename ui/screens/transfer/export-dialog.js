// The export dialog (Export…, Ctrl+E, File ▸ Export): says which customers will be written — the
// list as shown, with its search and filter, in the order they were added — offers the
// Excel-compatible BOM, then the backend's native save dialog writes the file.
import * as api from '../../lib/api.js';
import { byId, primaryAction, returningFocus } from '../../lib/dom.js';
import { customers } from './import-report.js';

const $ = (sel) => document.querySelector(sel);
const number = new Intl.NumberFormat('en');
const BOM_KEY = 'clientbook.export.bom';
const FILTER_WORD = { all: '', active: 'active ', inactive: 'inactive ' };
const SORT_WORD = { name: 'name', customer_id: 'customer ID', city: 'city', country: 'country' };

/** "All 1,234 customers" / "The 12 active customers matching “acme”", and their order. */
function describe(q, count) {
  const search = q.search.trim();
  const kind = FILTER_WORD[q.filter] || '';
  const matching = search ? ` matching “${search}”` : '';
  const noun = count === 1 ? 'customer' : 'customers';
  if (count === 0) return [`No ${kind}customers${matching}.`, ' The file will hold only the header row.'];
  let what;
  if (!search && !kind) what = count == null ? 'All customers' : `${count === 1 ? 'The' : 'All'} ${number.format(count)} ${noun}`;
  else what = count == null ? `The ${kind}customers${matching}` : `The ${number.format(count)} ${kind}${noun}${matching}`;
  // The file lists them in the order they were added, whatever the list's sort: reading the
  // table front to back is what keeps a million-row export to a second or two, and a
  // spreadsheet sorts in a click.
  const order = `${SORT_WORD[q.sort] || q.sort}${q.descending ? ', descending' : ''}`;
  return [what, ` will be exported in the order they were added (the list shows them by ${order}).`];
}

export function createExportDialog(shell, screen) {
  const { dialog, form, bom, confirm, cancel, note, problem } = byId('export-');
  const focusBack = returningFocus();
  let exporting = false;

  try { bom.checked = localStorage.getItem(BOM_KEY) === 'yes'; } catch { /* no storage: off */ }
  bom.addEventListener('change', () => {
    try { localStorage.setItem(BOM_KEY, bom.checked ? 'yes' : 'no'); } catch { /* not remembered */ }
  });

  function setBusy(busy) {
    exporting = busy;
    confirm.disabled = cancel.disabled = bom.disabled = busy;
    note.textContent = busy ? 'Exporting…' : '';
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  /** Opens the dialog for the list as shown now. Ignored while a dialog is open. */
  function open() {
    if (document.querySelector('dialog[open]')) return;
    const [what, rest] = describe(screen.query, screen.shown);
    const strong = document.createElement('strong');
    strong.textContent = what;
    $('#export-what').replaceChildren(strong, rest);
    problem.hidden = true;
    setBusy(false);
    focusBack.remember();
    dialog.showModal();
    confirm.focus();
  }

  async function run() {
    if (exporting) return;
    setBusy(true);
    problem.hidden = true;
    try {
      const done = await api.exportCustomers(screen.query, bom.checked);
      if (!done) return; // the save dialog was cancelled: back to this one
      dialog.close();
      shell.toast(`Exported ${customers(done.count)} to ${done.name}.`);
    } catch (err) {
      problem.textContent = err.message;
      problem.hidden = false;
    } finally {
      setBusy(false);
      if (dialog.open) confirm.focus();
    }
  }

  // Enter anywhere but on a button (on the checkbox, too) means Export.
  primaryAction(dialog, form, 'button', run);
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('cancel', (e) => { if (exporting) e.preventDefault(); });
  dialog.addEventListener('close', () => {
    if (!focusBack.restore()) screen.focusGrid();
  });

  return { open };
}
