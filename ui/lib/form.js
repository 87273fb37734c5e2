// What the customer page's tabs share: building elements, the errors of a form (each beside its
// field, the rest in the form's error box) and a modal form dialog that stays open until its
// submit succeeds.

import { clearField, el as h, markField, placeErrors, submitOnce } from './dom.js';

/** `h('td', {className: 'x', title: 'y'}, 'text', child…)`: dom.js's element builder. */
export { h };

export const button = (label, onClick, props = {}) => {
  const b = h('button', { type: 'button', ...props }, label);
  b.addEventListener('click', onClick);
  return b;
};

/**
 * Removes one row of a tab after asking: `question` and `verb` for the confirmation, `run` the
 * backend call, then `after` (the tab drops the row and redraws), the toast `done`, and the
 * keyboard focus back on `focus` (an element or a selector). A refusal is the tab's to show
 * (`ctx.fail`); Undo of an earlier delete no longer applies once something else changed.
 */
export async function removeRow(shell, ctx, { question, verb, run, after, done, focus }) {
  if (!(await shell.confirm(question, verb))) return;
  try {
    await run();
    shell.clearUndo();
    after();
    shell.toast(done);
    if (focus) (typeof focus === 'string' ? document.querySelector(focus) : focus).focus();
  } catch (err) {
    await ctx.fail(err);
  }
}

/** Empty text shows as a muted dash, so an empty cell reads as "none" rather than "missing". */
export const cellText = (v) => (v == null || v === '' ? h('span', { className: 'cp-none', 'aria-label': 'none' }, '—') : String(v));

/**
 * The errors of `form`: inputs by `name`, their boxes `.field-error[data-for=name]`, and the one
 * `.dialog-error` for what belongs to no field. Typing into a marked field clears its message.
 */
export function formErrors(form) {
  const problem = form.querySelector('.dialog-error');
  const input = (f) => (f ? form.querySelector(`[name="${f}"]`) : null);
  const box = (f) => (f ? form.querySelector(`.field-error[data-for="${f}"]`) : null);

  function clearOne(f) {
    clearField(input(f), box(f));
  }

  function clear() {
    for (const b of form.querySelectorAll('.field-error[data-for]')) clearOne(b.dataset.for);
    if (problem) { problem.textContent = ''; problem.hidden = true; }
  }

  /** Puts `message` beside `field`; false when the form has no box for it (or it is hidden). */
  function mark(field, message) {
    const b = box(field);
    if (!b || b.parentElement.closest('[hidden]')) return false;
    markField(input(field), b, message);
    return true;
  }

  function showProblem(message) {
    if (!problem) return false;
    problem.textContent = message;
    problem.hidden = false;
    return true;
  }

  /** Shows `err` in the form (beside fields where it can) and focuses the first marked field. */
  function show(err) {
    const { first, unplaced } = placeErrors(err, mark);
    const focus = first ? input(first) : null;
    if (unplaced.length) showProblem(unplaced.map((u) => (typeof u === 'string' ? u : u.message)).join(' '));
    if (focus && typeof focus.focus === 'function') focus.focus();
  }

  form.addEventListener('input', (e) => {
    const name = e.target && e.target.name;
    if (name && e.target.classList.contains('invalid')) clearOne(name);
  });

  return { clear, mark, show, showProblem };
}

/**
 * A modal form dialog: `submit(form)` runs on Enter or the submit button; the dialog closes when
 * it resolves (unless it resolves `false`), and shows what it rejects with. `gone(err)` says
 * whether the customer itself no longer exists, in which case the dialog just closes (the page
 * goes back to the list). Cancel and Esc discard.
 */
export function modalForm(dialog, { submit, gone }) {
  const form = dialog.querySelector('form');
  const errors = formErrors(form);
  submitOnce(form, form.querySelector('button[type="submit"]'), {
    clear: () => errors.clear(),
    async run() {
      const done = await submit(form, errors);
      if (done !== false) dialog.close();
    },
    async fail(err) {
      if (await gone(err)) dialog.close();
      else errors.show(err);
    },
  });
  form.querySelector('[data-cancel]').addEventListener('click', () => dialog.close());

  return {
    form,
    errors,
    /** Shows the dialog with its errors cleared, focusing `focus` (an element). */
    open(focus) {
      errors.clear();
      dialog.showModal();
      if (focus) focus.focus();
    },
    close: () => dialog.close(),
    get isOpen() { return dialog.open; },
  };
}

/** Sets `select`'s options to `values` (strings or `{value, label}`), keeping `selected` if offered. */
export function fillSelect(select, values, selected) {
  select.replaceChildren(...values.map((v) => {
    const value = typeof v === 'string' ? v : v.value;
    return h('option', { value }, typeof v === 'string' ? v : v.label);
  }));
  if (selected != null && values.some((v) => (typeof v === 'string' ? v : v.value) === selected)) select.value = selected;
}
