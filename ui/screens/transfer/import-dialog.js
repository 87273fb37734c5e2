// The import flow: a CSV chosen in the open dialog (Import…, Ctrl+I, File menu) or dropped on the
// window is previewed — a dry run with progress — and imported only when the user says so. The
// report (counts, columns, problems) is drawn by import-report.js, progress by import-progress.js.
//
// Modes: closed → picking (the native dialog is up) → preview (a preview runs or is shown) →
// import (the real run; its dialog may be closed to work on meanwhile: "background") → closed,
// with a toast; or report (a finished import's problems, reopened from that toast). One backend
// run at a time: a new preview waits for the last to stop.
import * as api from '../../lib/api.js';
import { byId, primaryAction, returningFocus } from '../../lib/dom.js';
import { canImport, customers, delimiterName, describeFile, renderReport } from './import-report.js';
import { createImportProgress } from './import-progress.js';

const $ = (sel) => document.querySelector(sel);
const number = new Intl.NumberFormat('en');
const n = (v) => number.format(v);

export function createImportDialog(shell, screen) {
  const {
    dialog, form, update, strict, options, encoding, delimiter, commit, cancel, choose, readAs,
    saveErrors, result, problem, note, background: toBackground, errors: errorList,
  } = byId('import-');
  const progress = createImportProgress();
  // A button that is disabled by then cannot take the keyboard back.
  const focusBack = returningFocus({ enabledOnly: true });

  let mode = 'closed';
  let chosen = null; // {name, size} of the file the backend holds
  let report = null; // the report on screen
  let want = 0; // bumped for every change that needs a fresh preview …
  let have = -1; // … and the request the shown report (or problem) answers
  let running = null; // the backend run in progress: {kind}
  let cancelling = false;
  let background = false; // the import runs with its dialog closed
  let queued = null; // a file dropped during an import: previewed once the import ends
  let lastImport = null; // {chosen, report} of the last import, for "Show errors"
  let summaryToast = null;
  let saving = false;
  let undoing = false; // the last import is being taken back

  // ---- what the dialog shows ----------------------------------------------------------------
  function showProblem(message) {
    problem.textContent = message;
    problem.hidden = false;
  }

  function clearProblem() {
    problem.textContent = '';
    problem.hidden = true;
  }

  function updateControls() {
    const busy = running !== null || mode === 'import';
    const ready = mode === 'preview' && !busy && have === want && canImport(report);
    commit.disabled = !ready;
    commit.textContent = ready ? `Import ${customers(report.inserted + report.updated)}` : 'Import';
    update.disabled = strict.disabled = encoding.disabled = delimiter.disabled = mode === 'import';
    choose.disabled = mode === 'import';
    saveErrors.disabled = busy || saving;
    options.hidden = commit.hidden = choose.hidden = readAs.hidden = mode === 'report';
    // A file that cannot be imported at all: the options would change nothing (but reading it
    // in another encoding or with another delimiter may find its name column).
    if (mode === 'preview' && !report && !problem.hidden) options.hidden = true;
    toBackground.hidden = mode !== 'import' || cancelling;
    cancel.textContent = mode === 'report' ? 'Close' : 'Cancel';
    cancel.disabled = cancelling;
    $('#import-status-cancel').disabled = cancelling;
    result.classList.toggle('stale', running !== null);
    dialog.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  /** The options as the backend takes them: empty encoding and delimiter are detected. */
  const requestOptions = () => ({
    file: chosen.name,
    update: update.checked,
    strict: strict.checked,
    encoding: encoding.value,
    delimiter: delimiter.value,
  });

  /** Each "Detect" choice says what it found, once a preview has read the file that way. */
  function showDetected(r) {
    if (!encoding.value) encoding.options[0].textContent = r ? `Detect (${r.encoding})` : 'Detect';
    if (!delimiter.value) delimiter.options[0].textContent = r ? `Detect (${delimiterName(r.delimiter)})` : 'Detect';
  }

  function show(r, done) {
    report = r;
    renderReport(chosen, r, done);
    result.hidden = false;
  }

  /** After a preview the keyboard lands on the next step, unless the user is elsewhere in it. */
  function focusNextStep() {
    const at = document.activeElement;
    if (at && dialog.contains(at) && at !== cancel && !at.disabled) return;
    if (!commit.disabled) commit.focus();
    else if (!$('#import-errors-box').hidden) errorList.focus();
    else cancel.focus();
  }

  // ---- opening and closing ------------------------------------------------------------------
  function showDialog() {
    if (dialog.open) return;
    focusBack.remember();
    dialog.showModal();
  }

  function open(c, { keepToast = false } = {}) {
    if (!keepToast && summaryToast) summaryToast.dismiss();
    update.checked = false;
    strict.checked = false;
    mode = 'preview';
    showDialog();
    switchTo(c);
    cancel.focus();
  }

  /** The backend now holds `c`: preview it with the options as they are. */
  function switchTo(c) {
    chosen = c;
    report = null;
    // How one file had to be read says nothing about the next.
    encoding.value = delimiter.value = '';
    showDetected(null);
    mode = 'preview';
    clearProblem();
    note.textContent = '';
    result.hidden = true;
    describeFile(c, null);
    requestPreview(true);
  }

  /** Gives the keyboard back to where it was before the dialog opened. */
  function restoreFocus() {
    if (!focusBack.restore()) screen.focusGrid();
  }

  function close({ forget = true } = {}) {
    const wasOpen = dialog.open;
    mode = 'closed';
    cancelling = false;
    background = false;
    progress.stop();
    if (running && running.kind === 'preview') api.importCancel().catch(() => {});
    if (wasOpen) dialog.close();
    if (forget) api.importClose().catch(() => {});
    if (wasOpen) restoreFocus(); // after a background import the user is elsewhere: stay there
  }

  /** Cancel and Esc: stop whatever runs. An import is rolled back before the dialog goes. */
  function cancelFlow() {
    if (mode === 'import') {
      if (cancelling) return;
      cancelling = true;
      progress.cancelling();
      updateControls();
      if (dialog.open) cancel.focus();
      api.importCancel().catch(shell.showError);
      return;
    }
    close();
  }

  /** "Continue in background": the import goes on; the top bar shows it, with Show and Cancel. */
  function sendToBackground() {
    if (mode !== 'import' || cancelling) return;
    background = true;
    progress.background(true);
    dialog.close();
    restoreFocus();
  }

  function bringBack() {
    if (mode !== 'import' || !background) return;
    background = false;
    progress.background(false);
    showDialog();
    cancel.focus();
  }

  // ---- preview ------------------------------------------------------------------------------
  /** Asks for a preview of the current file and options; a running one is stopped first. */
  function requestPreview(fresh = false) {
    want += 1;
    if (fresh) have = -1;
    if (running) {
      if (running.kind === 'preview') api.importCancel().catch(() => {});
      updateControls();
      return;
    }
    previewLoop();
  }

  async function previewLoop() {
    while (mode === 'preview' && have !== want) {
      const ask = want;
      const first = report === null;
      const run = { kind: 'preview' };
      running = run;
      clearProblem();
      const onProgress = progress.start(run, chosen.name);
      updateControls();
      try {
        const r = await api.importPreview(requestOptions(), onProgress);
        if (ask === want && mode === 'preview') {
          have = ask;
          showDetected(r);
          show(r, false);
        }
      } catch (err) {
        if (ask === want && mode === 'preview' && err.kind !== 'cancelled') {
          have = ask;
          report = null;
          result.hidden = true;
          showProblem(err.message);
        }
      } finally {
        running = null;
        progress.stop();
      }
      updateControls();
      if (have === want && first && mode === 'preview') focusNextStep();
    }
  }

  // ---- import -------------------------------------------------------------------------------
  async function runImport() {
    if (mode !== 'preview' || running || have !== want || !canImport(report)) return;
    mode = 'import';
    const run = { kind: 'import' };
    running = run;
    note.textContent = '';
    clearProblem();
    const onProgress = progress.start(run, chosen.name);
    updateControls();
    cancel.focus(); // the Import button is disabled now; Esc and Enter mean Cancel
    let r = null;
    let failure = null;
    try {
      r = await api.importRun(requestOptions(), onProgress);
    } catch (err) {
      failure = err;
    }
    running = null;
    cancelling = false;
    progress.stop();
    if (r && !r.aborted) {
      finished(r);
      return;
    }
    const next = queued;
    queued = null;
    if (failure && failure.kind === 'cancelled') {
      close({ forget: !next });
      shell.toast('Import cancelled — nothing was changed.');
      if (next) open(next, { keepToast: true });
      return;
    }
    // "Stop on any error" found problems, or the import failed: the dialog shows it.
    mode = 'preview';
    background = false;
    showDialog();
    if (r) show(r, true);
    else showProblem(failure.message);
    updateControls();
    focusNextStep();
    if (next) switchTo(next);
  }

  function finished(r) {
    const next = queued;
    queued = null;
    lastImport = { chosen, report: r };
    close({ forget: !next });
    screen.afterImport(r);
    const unchanged = r.unchanged ? `, ${n(r.unchanged)} unchanged` : '';
    const beside = r.added_beside ? ` (${n(r.added_beside)} beside stored customers of the same name)` : '';
    const text = `Imported: ${n(r.inserted)} added${beside}, ${n(r.updated)} updated${unchanged}, ${n(r.skipped)} skipped.`;
    const problems = r.errors.length + r.more_errors;
    const name = chosen.name;
    summaryToast = shell.toast(text, {
      undo: r.undo != null ? () => undoImport(r.undo, name) : null,
      actions: problems ? [
        { label: 'Show errors', run: showLastReport },
        { label: 'Save error report (CSV)…', run: saveErrorReport },
      ] : [],
    });
    if (next) open(next, { keepToast: true });
  }

  /** Undo on the summary toast (or Ctrl+Z): the import taken back, in one transaction. */
  async function undoImport(token, name) {
    if (undoing) return;
    undoing = true;
    lastImport = null; // its report no longer describes the database
    progress.busy(`Undoing the import of “${name}”…`, 'Undoing the import…');
    try {
      const done = await api.importUndo(token).finally(() => progress.stop());
      await screen.afterUndo(done);
      const parts = [];
      if (done.removed) parts.push(`${customers(done.removed)} removed`);
      if (done.restored) parts.push(`${customers(done.restored)} put back as they were`);
      shell.toast(`Undid the import of “${name}”: ${parts.join(', ')}.`);
    } catch (err) {
      shell.showError(err);
    } finally {
      undoing = false;
    }
  }

  /** While an import is being undone, a new one waits: the progress strip is the undo's. */
  function busyUndoing() {
    if (undoing) shell.toast('The last import is being undone; import again when it has finished.');
    return undoing;
  }

  /** "Show errors" on the summary toast: the finished import's report, read-only. */
  function showLastReport() {
    if (!lastImport || mode !== 'closed' || document.querySelector('dialog[open]')) return;
    mode = 'report';
    chosen = lastImport.chosen;
    clearProblem();
    note.textContent = '';
    show(lastImport.report, true);
    updateControls();
    showDialog();
    if (!$('#import-errors-box').hidden) errorList.focus();
    else cancel.focus();
  }

  async function saveErrorReport() {
    if (saving) return;
    saving = true;
    updateControls();
    try {
      const name = await api.importSaveErrors();
      if (!name) return;
      if (dialog.open) note.textContent = `Saved the error report to ${name}.`;
      // From the summary toast: this one replaces it, so it keeps its way back to the errors.
      else shell.toast(`Saved the error report to ${name}.`, { actions: [{ label: 'Show errors', run: showLastReport }] });
    } catch (err) {
      if (dialog.open) showProblem(err.message);
      else shell.showError(err);
    } finally {
      saving = false;
      updateControls();
    }
  }

  // ---- starting the flow --------------------------------------------------------------------
  /** Import…, Ctrl+I, File ▸ Import: the open dialog, then the preview. Ignored while open. */
  async function start() {
    if (mode === 'import' && background) { bringBack(); return; }
    if (busyUndoing()) return;
    if (mode !== 'closed' || document.querySelector('dialog[open]')) return;
    mode = 'picking';
    let c = null;
    try {
      c = await api.importPick();
    } catch (err) {
      if (mode === 'picking') mode = 'closed';
      shell.showError(err);
      return;
    }
    if (mode === 'picking') {
      mode = 'closed';
      if (c) open(c);
    } else if (c && mode === 'preview') {
      switchTo(c); // a drop opened the flow meanwhile; the pick came last, so the backend holds it
    }
  }

  /** A CSV dropped on the window (the backend holds it now): the flow at its preview. */
  function dropped(c) {
    if (!c || busyUndoing()) return;
    if (mode === 'import') {
      queued = c;
      const text = `“${c.name}” is next: its preview opens when this import has finished.`;
      if (background) shell.toast(text);
      else note.textContent = text;
    } else if (mode === 'preview' || mode === 'report') {
      if (mode === 'report') {
        if (summaryToast) summaryToast.dismiss(); // its report is no longer the backend's last
        update.checked = false;
        strict.checked = false;
      }
      switchTo(c);
      updateControls();
    } else if (document.querySelector('dialog[open]')) {
      shell.toast(`Close the open dialog first, then drop “${c.name}” again.`, { kind: 'error' });
    } else {
      open(c);
    }
  }

  async function chooseAnother() {
    if (mode !== 'preview') return;
    choose.disabled = true;
    try {
      const c = await api.importPick();
      if (c && mode === 'preview') switchTo(c);
    } catch (err) {
      showProblem(err.message);
    } finally {
      updateControls();
    }
  }

  // ---- events -------------------------------------------------------------------------------
  update.addEventListener('change', () => { if (mode === 'preview') requestPreview(); });
  strict.addEventListener('change', () => { if (mode === 'preview') requestPreview(); });
  encoding.addEventListener('change', () => { if (mode === 'preview') requestPreview(); });
  delimiter.addEventListener('change', () => { if (mode === 'preview') requestPreview(); });
  // Enter anywhere in the dialog (but on another button) is the primary button. A list takes
  // Enter itself (it opens it, or confirms a choice that starts a new preview).
  primaryAction(dialog, form, 'button, select', runImport);
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault(); // Esc: the same as Cancel, which may have to wait for a rollback
    cancelFlow();
  });
  // Should the engine close the dialog anyway (a repeated Esc may not be cancelable), the flow
  // still ends properly: an import is cancelled and its toast says so.
  dialog.addEventListener('close', () => {
    if (mode === 'preview' || mode === 'report') close();
    else if (mode === 'import' && !background) cancelFlow();
  });
  cancel.addEventListener('click', cancelFlow);
  choose.addEventListener('click', chooseAnother);
  toBackground.addEventListener('click', sendToBackground);
  saveErrors.addEventListener('click', saveErrorReport);
  $('#import-status-show').addEventListener('click', bringBack);
  $('#import-status-cancel').addEventListener('click', cancelFlow);

  return { start, dropped };
}
