// The progress of a preview or an import: the bar in the import dialog and, while an import runs
// in the background, the same in the strip in the window's top bar (with Show and Cancel).
// Progress messages come a few times a second: `{phase, rows, bytes, total_bytes}`.
const $ = (sel) => document.querySelector(sel);
const number = new Intl.NumberFormat('en');
const rowsText = (count) => `${number.format(count)} ${count === 1 ? 'row' : 'rows'}`;

/** A run shorter than this never shows its bar, so quick previews do not flicker. */
const SHOW_AFTER_MS = 150;

export function createImportProgress() {
  const box = $('#import-busy');
  const bars = [$('#import-progress'), $('#import-status-progress')];
  const dialogText = $('#import-progress-text');
  const stripText = $('#import-status-text');
  const strip = $('#import-status');
  let timer = 0;
  let current = null; // the run whose messages are shown

  /** `text` in the dialog; the top bar's narrow strip shows `short`, with `text` as its tooltip. */
  function say(text, short = text) {
    dialogText.textContent = text;
    stripText.textContent = short;
    stripText.title = short === text ? '' : text;
  }

  function set(text, share, short = text) {
    say(text, short);
    for (const b of bars) {
      if (share == null) b.removeAttribute('value'); // indeterminate
      else b.value = share;
    }
  }

  return {
    /** Shows a new run's progress; returns the handler for its channel. */
    start(run, name) {
      current = run;
      clearTimeout(timer);
      const verb = run.kind === 'import' ? 'Importing' : 'Checking';
      set(`${verb} “${name}”…`, null);
      timer = setTimeout(() => { box.hidden = false; }, run.kind === 'import' ? 0 : SHOW_AFTER_MS);
      const started = performance.now();
      return (p) => {
        if (current !== run || !p) return;
        if (p.phase === 'indexing') {
          set(`All ${rowsText(p.rows)} are in; updating the search index…`, null, 'Indexing…');
          return;
        }
        const seconds = (performance.now() - started) / 1000;
        const share = p.total_bytes ? Math.min(1, p.bytes / p.total_bytes) : 0;
        const rate = seconds >= 0.25 ? ` · ${number.format(Math.round(p.rows / seconds))} rows/s` : '';
        const percent = `${Math.floor(share * 100)} %`;
        set(`${verb}: ${rowsText(p.rows)} · ${percent}${rate}`, share, `${verb} ${percent}${rate}`);
      };
    },
    /** Work that cannot be cancelled (an import being undone): the strip, without its buttons. */
    busy(text, short) {
      current = null;
      set(text, null, short);
      strip.classList.add('no-actions');
      strip.hidden = false;
    },
    cancelling() {
      say('Cancelling… nothing will be changed.', 'Cancelling…');
    },
    stop() {
      current = null;
      clearTimeout(timer);
      box.hidden = true;
      strip.hidden = true;
      strip.classList.remove('no-actions');
    },
    /** The top bar's strip: shown while the import runs with its dialog closed. */
    background(on) {
      strip.hidden = !on;
    },
  };
}
