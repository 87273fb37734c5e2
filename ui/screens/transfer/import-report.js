// What the import dialog shows of one ImportReport: the file line, the counts, the column
// mapping and the problem list. Rendering only — the flow (choosing, previewing, importing) is
// import-dialog.js. Everything is built with textContent: file contents may hold "<".
const $ = (sel) => document.querySelector(sel);
const number = new Intl.NumberFormat('en');
const n = (v) => number.format(v);

/** Problems drawn in the list; the rest are counted (a file can have 100,000 bad rows). */
const SHOWN_ERRORS = 1000;

const FIELD_LABELS = {
  customer_id: 'Customer ID',
  name: 'Name',
  street: 'Street',
  zip: 'ZIP',
  city: 'City',
  country: 'Country',
  url: 'URL',
  comment: 'Comment',
  validity: 'Validity',
  active: 'Active (yes/no → validity)',
  inactive: 'Inactive (yes/no → validity)',
  own: 'Own company',
  autotask_id: 'Autotask company ID',
  autotask_name: 'Autotask company',
  autotask_status: 'Autotask status',
  autotask_checked: 'Autotask checked',
  created: 'Created',
  updated: 'Updated',
};

/** An Active or Inactive column of ticks (`marks`): an empty cell is a no. */
const MARKS_LABELS = {
  active: 'Active (x = yes, empty = no → validity)',
  inactive: 'Inactive (x = yes, empty = no → validity)',
};

const DELIMITERS = { comma: 'commas', semicolon: 'semicolons', tab: 'tabs', 'vertical bar': 'vertical bars' };

/** A report's delimiter ("comma", or "'#'" for one a `sep=` line named) as a plural: "commas". */
export const delimiterName = (d) => DELIMITERS[d] || d;

const plural = (count, one, many) => `${n(count)} ${count === 1 ? one : many}`;
export const customers = (count) => plural(count, 'customer', 'customers');
const rows = (count) => plural(count, 'row', 'rows');

export function formatBytes(bytes) {
  if (bytes < 1024) return `${n(bytes)} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u += 1; }
  return `${v.toLocaleString('en', { maximumFractionDigits: v < 10 ? 1 : 0 })} ${units[u]}`;
}

/** "customers.csv · 12 KB · UTF-8 · values separated by semicolons" (the last two once known). */
export function describeFile(chosen, report) {
  const el = $('#import-file');
  const name = document.createElement('strong');
  name.textContent = chosen.name;
  const parts = [formatBytes(chosen.size)];
  if (report) parts.push(report.encoding, `values separated by ${delimiterName(report.delimiter)}`);
  el.replaceChildren(name, ` · ${parts.join(' · ')}`);
}

/** Rows with a problem: a duplicate or an invalid row (a strict abort reports all as skipped). */
const badRows = (r) => r.duplicates + r.invalid;
export const canImport = (r) => !!r && !r.aborted && r.inserted + r.updated > 0;

/** The sentence above the counts, and whether it is a warning. */
function summary(r, done) {
  const bad = badRows(r);
  const have = bad === 1 ? 'has' : 'have';
  if (r.aborted) {
    const lead = done ? 'Nothing was imported' : 'Nothing will be imported';
    return [`${lead}: ${rows(bad)} ${have} problems and “Stop on any error” is on. Fix the file, or turn that option off to import the other rows.`, true];
  }
  if (r.rows_read === 0) return ['The file has no customer rows below its header.', true];
  const parts = [];
  if (r.inserted) parts.push(`${done ? 'added' : 'add'} ${customers(r.inserted)}`);
  if (r.updated) parts.push(`${done ? 'updated' : 'update'} ${customers(r.updated)}`);
  const same = r.unchanged
    ? ` ${rows(r.unchanged)} already ${r.unchanged === 1 ? 'matches its customer' : 'match their customers'} and ${done ? (r.unchanged === 1 ? 'was' : 'were') : 'will be'} left as ${r.unchanged === 1 ? 'it is' : 'they are'}.`
    : '';
  if (!parts.length && r.unchanged) {
    const problems = bad ? ` ${rows(bad)} ${have} problems, listed below.` : '';
    return [`Nothing to change:${same}${problems}`, bad > 0];
  }
  // Rows whose customer ID is stored already, without "Update existing": the same file again,
  // or an export brought back. Nothing is wrong with them; the option updates them.
  const stored = r.stored && !r.aborted
    ? ` ${r.stored === bad ? (bad === 1 ? 'It is' : 'They are') : `${n(r.stored)} of them ${r.stored === 1 ? 'is' : 'are'}`} already stored (the same customer ID): tick “Update existing customers” to update ${r.stored === 1 ? 'it' : 'them'} from this file.`
    : '';
  if (!parts.length && r.stored === r.rows_read) {
    const all = r.rows_read === 1 ? 'The file’s one row is a customer' : `All ${rows(r.rows_read)} are customers`;
    return [`Nothing to import: ${all} already stored (the same customer ID). Tick “Update existing customers” to update ${r.rows_read === 1 ? 'it' : 'them'} from this file.`, false];
  }
  if (!parts.length) {
    const none = r.rows_read === 1 ? 'the file’s one row cannot' : `none of the ${rows(r.rows_read)} can`;
    return [`Nothing to import: ${none} be imported. The problems below say why.${stored}`, true];
  }
  const skipped = bad
    ? ` ${rows(bad)} ${done ? (bad === 1 ? 'was' : 'were') : 'will be'} skipped; the problems are listed below.`
    : r.notice ? '' : ' Every row is fine.'; // the notice below says what is not
  const lead = done ? `Clientbook ${parts.join(' and ')}.` : `Importing will ${parts.join(' and ')}.`;
  return [lead + same + skipped + stored, false];
}

function setCount(id, value, attention = false) {
  const el = $(id);
  el.textContent = n(value);
  el.classList.toggle('attention', attention && value > 0);
}

/** A cell of text: `tag` th or td. */
function cell(tag, text, className = '') {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

/** An example row's value, whole in its tooltip when the cell cuts it. */
function exampleCell(value) {
  const td = cell('td', value, 'example');
  td.title = value;
  return td;
}

function renderColumns(r) {
  const table = $('#import-columns');
  const body = table.tBodies[0];
  // Beside each column, its value in the example rows, read as the import reads them: a wrong
  // encoding ("SzÅ‘ke") or delimiter shows here before anything is imported.
  const examples = r.examples || [];
  const head = document.createElement('tr');
  head.append(cell('th', 'Column in the file'), cell('th', 'Imported as'));
  for (const e of examples) {
    const th = cell('th', `Row ${n(e.row)}`, 'example');
    th.setAttribute('aria-label', `Value in row ${n(e.row)} of the file`);
    head.append(th);
  }
  for (const th of head.cells) th.scope = 'col';
  table.tHead.replaceChildren(head);
  const trs = r.columns.map((c, i) => {
    const tr = document.createElement('tr');
    const file = document.createElement('td');
    file.textContent = c.header === '' ? '(no name)' : c.header;
    const field = document.createElement('td');
    if (c.marks) field.textContent = MARKS_LABELS[c.field];
    else if (c.field) field.textContent = FIELD_LABELS[c.field] || c.field;
    else if (c.fallback) {
      // Read for a row where the more precise column for the same field is empty.
      const main = r.columns.find((m) => m.field === c.fallback);
      const label = FIELD_LABELS[c.fallback] || c.fallback;
      field.textContent = main ? `${label}, where “${main.header}” is empty` : label;
    } else {
      field.textContent = 'Ignored';
      field.className = 'ignored';
    }
    tr.append(file, field);
    for (const e of examples) tr.append(exampleCell(e.values[i] ?? ''));
    return tr;
  });
  // Values past the header's columns: the first sign of a wrong delimiter.
  const width = r.columns.length;
  if (examples.some((e) => e.values.slice(width).some((v) => v !== ''))) {
    const tr = document.createElement('tr');
    tr.className = 'past-header';
    tr.append(cell('td', '(past the header’s columns)', 'ignored'), cell('td', 'Not read: the row is reported', 'ignored'));
    for (const e of examples) tr.append(exampleCell(e.values.slice(width).join(' | ')));
    trs.push(tr);
  }
  body.replaceChildren(...trs);
  const used = r.columns.length - r.ignored_columns.length;
  const ignored = r.ignored_columns.length ? `; ignored: ${r.ignored_columns.map((h) => h || '(no name)').join(', ')}` : '';
  $('#import-columns-caption').textContent = `${plural(used, 'column', 'columns')} of ${n(r.columns.length)} imported${ignored}`;
}

/** "Row 5, Country: 'Atlantis' is not a country." — as the CLI and the saved report say it. */
function errorItem(e) {
  const li = document.createElement('li');
  const where = document.createElement('span');
  where.className = 'where';
  where.textContent = e.column ? `Row ${n(e.row)}, ${e.column}:` : `Row ${n(e.row)}:`;
  li.append(where, ` ${e.message}`);
  return li;
}

function renderErrors(r) {
  const box = $('#import-errors-box');
  const list = $('#import-errors');
  const note = $('#import-errors-note');
  const listed = r.errors.length;
  const total = listed + r.more_errors;
  box.hidden = total === 0;
  $('#import-errors-title').textContent = total ? `Problems (${n(total)})` : 'Problems';
  const frag = document.createDocumentFragment();
  for (const e of r.errors.slice(0, SHOWN_ERRORS)) frag.append(errorItem(e));
  list.replaceChildren(frag);
  list.scrollTop = 0;
  const shown = Math.min(listed, SHOWN_ERRORS);
  let text = '';
  if (total > shown) {
    text = `Showing the first ${n(shown)} of ${n(total)} problems.`;
    if (listed > shown) text += ` The error report (CSV) lists ${r.more_errors ? `the first ${n(listed)}` : 'all of them'}.`;
    if (r.more_errors) text += ` ${n(r.more_errors)} more were counted but not kept.`;
  }
  note.textContent = text;
  note.hidden = !text;
}

/** Fills the result part of the dialog. `done`: the report of an import, not a preview. */
export function renderReport(chosen, r, done) {
  describeFile(chosen, r);
  const [text, warning] = summary(r, done);
  const sum = $('#import-summary');
  sum.textContent = text;
  sum.classList.toggle('warning', warning);
  // Rows added beside stored customers of the same name: seldom what a second import of one
  // list means, so the preview says how to update them instead.
  const notice = $('#import-notice');
  const instead = done ? '' : ' To update those customers instead, tick “Update existing customers” above.';
  notice.textContent = r.notice ? r.notice + instead : '';
  notice.hidden = !r.notice || r.aborted;
  $('#import-label-add').textContent = done ? 'Added' : 'To add';
  $('#import-label-update').textContent = done ? 'Updated' : 'To update';
  setCount('#import-count-read', r.rows_read);
  setCount('#import-count-add', r.inserted);
  setCount('#import-count-update', r.updated);
  setCount('#import-count-unchanged', r.unchanged);
  $('#import-unchanged').hidden = !r.unchanged;
  setCount('#import-count-duplicates', r.duplicates, true);
  setCount('#import-count-invalid', r.invalid - r.stored, true);
  setCount('#import-count-stored', r.stored);
  $('#import-stored').hidden = !r.stored;
  renderColumns(r);
  renderErrors(r);
}
