// Small DOM helpers for the screens built from JavaScript (Copy…, Jobs, Settings, the customer
// page's tabs through form.js): elements from a props object (text only through textContent,
// never markup), the errors a form shows beside its inputs, and form submits that run one at a
// time; and for the dialogs written in index.html: their elements by id, the primary action on
// Enter, the focus given back on close.

/**
 * The elements whose ids start with `prefix`, each found as it is named:
 * `const { dialog, saveErrors } = byId('import-')` is `#import-dialog` and `#import-save-errors`
 * (a name in camelCase stands for the id's words joined by hyphens).
 */
export function byId(prefix) {
  const id = (name) => prefix + name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return new Proxy({}, { get: (_, name) => document.getElementById(id(name)) });
}

/**
 * A dialog's primary action `run`: its form's submit, and Enter anywhere in the dialog but on an
 * element matching `ownEnter` (a selector of the controls that take Enter themselves).
 */
export function primaryAction(dialog, form, ownEnter, run) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  dialog.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.isComposing || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return;
    if (e.target.closest(ownEnter)) return;
    e.preventDefault();
    run();
  });
}

/**
 * Where the keyboard was when a dialog opened, to give it back when it closes: `remember()` as
 * it opens; `restore()` focuses that element again if it is still on the page and not the page
 * itself (with `enabledOnly`, nor disabled), and says whether it did, so that the caller can
 * choose another place.
 */
export function returningFocus({ enabledOnly = false } = {}) {
  let was = null;
  return {
    remember() { was = document.activeElement; },
    restore() {
      const back = was && was.isConnected && was !== document.body && !(enabledOnly && was.disabled) ? was : null;
      was = null;
      if (back) back.focus({ preventScroll: true });
      return back !== null;
    },
  };
}

/** Shows `message` in `box`, the error line of `input`, and marks the input invalid. */
export function markField(input, box, message) {
  if (box) {
    box.textContent = message;
    box.hidden = false;
  }
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.classList.add('invalid');
  }
}

/** Empties and hides `box`, the error line of `input`, and takes the invalid mark off the input. */
export function clearField(input, box) {
  if (box) {
    box.textContent = '';
    box.hidden = true;
  }
  if (input) {
    input.removeAttribute('aria-invalid');
    input.classList.remove('invalid');
  }
}

/**
 * `el('input', {id, className, hidden: true, 'aria-x': …}, ...children)`: properties where the
 * element has them (`class` works too), attributes otherwise (`aria-*`, `data-*` always);
 * null/false props and children are left out; children are nodes or plain text (never markup).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k in node && !k.startsWith('aria') && !k.startsWith('data')) node[k] = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c != null && c !== false) node.append(c);
  return node;
}

/**
 * Where a rejected save's messages go, for every form: each of `err`'s field errors beside its
 * field through `mark(field, message)` (false when the form has no such field). Returns the
 * first field marked and what belongs to no field — messages, or `err` itself when it names
 * no field.
 */
export function placeErrors(err, mark) {
  const list = err && Array.isArray(err.fields) && err.fields.length ? err.fields
    : err && err.field ? [{ field: err.field, message: err.message }] : [];
  let first = null;
  const unplaced = [];
  for (const f of list) {
    if (mark(f.field, f.message)) first = first || f.field;
    else unplaced.push(f.label ? `${f.label}: ${f.message}` : f.message);
  }
  if (!list.length) unplaced.push(err);
  return { first, unplaced };
}

/** An input's error line: `<span class="field-error">` described by the input. */
export function errorFor(input) {
  const span = el('span', { id: `${input.id}-error`, class: 'field-error', 'aria-live': 'polite', hidden: true });
  input.setAttribute('aria-describedby', `${input.id}-error`);
  return span;
}

/**
 * Field errors of one form: `inputs` maps the backend's field names to inputs, `errors` to their
 * error lines, `problem` shows what belongs to no input (or null: shell.showError takes it).
 */
export function fieldErrors(inputs, errors, problem, shell) {
  function clearOne(field) {
    clearField(inputs[field], errors[field]);
  }
  function mark(field, message) {
    if (!field || !inputs[field]) return false;
    markField(inputs[field], errors[field], message);
    return true;
  }
  for (const field of Object.keys(inputs)) {
    inputs[field].addEventListener('input', () => { if (inputs[field].classList.contains('invalid')) clearOne(field); });
  }
  return {
    clear() {
      for (const field of Object.keys(inputs)) clearOne(field);
      if (problem) { problem.textContent = ''; problem.hidden = true; }
    },
    /** Puts `err` beside its inputs (focusing the first); the rest goes to `problem`. */
    show(err) {
      const { first, unplaced } = placeErrors(err, mark);
      const focus = first ? inputs[first] : null;
      if (focus) focus.focus();
      const rest = unplaced.map((u) => (typeof u === 'string' ? u : (u && u.message) || String(u)));
      if (!rest.length) return;
      if (problem) {
        problem.textContent = rest.join(' ');
        problem.hidden = false;
      } else if (unplaced.length === 1 && typeof unplaced[0] !== 'string') {
        shell.showError(unplaced[0]);
      } else {
        shell.showError({ message: rest.join(' ') });
      }
    },
  };
}

/**
 * Submits `form` one run at a time: `clear()` first, then `run()`; while it goes `button` is
 * disabled, the form is aria-busy and another submit (Enter, a second click) is ignored. What
 * `run` rejects with goes to `fail(err)`.
 */
export function submitOnce(form, button, { clear, run, fail }) {
  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    clear();
    try {
      await run();
    } catch (err) {
      await fail(err);
    } finally {
      busy = false;
      button.disabled = false;
      form.setAttribute('aria-busy', 'false');
    }
  });
}

/**
 * The add form of a Settings card: `fields` (`{ key, label, input, wide }`, keyed by the
 * backend's field names) each with its label and error line, then a submit button. While
 * `submit(inputs)` (the add itself) runs the button is disabled and another submit is ignored.
 * When it succeeds the inputs are emptied at once, then `added(result)` runs (a toast, a reload)
 * and the first input gets the focus for the next entry; when it fails the errors go beside
 * their inputs (the rest to shell.showError) and what was typed stays.
 */
export function addForm(shell, { id, fields, button, submit, added }) {
  const inputs = {};
  const errors = {};
  const rows = fields.map(({ key, label, input, wide }) => {
    inputs[key] = input;
    errors[key] = errorFor(input);
    return el('div', { class: wide ? 'field wide' : 'field' },
      el('label', { htmlFor: input.id }, label), input, errors[key]);
  });
  const add = el('button', { type: 'submit', id: button.id, class: 'primary' }, button.label);
  const form = el('form', { id, class: 'settings-add', noValidate: true, autocomplete: 'off' }, ...rows, add);
  const problems = fieldErrors(inputs, errors, null, shell);
  submitOnce(form, add, {
    clear: () => problems.clear(),
    async run() {
      const result = await submit(inputs);
      for (const input of Object.values(inputs)) input.value = '';
      await added(result);
      fields[0].input.focus();
    },
    fail: (err) => problems.show(err),
  });
  return form;
}
