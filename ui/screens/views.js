// The top-level views: Customers (the list), one customer's page, Jobs and Settings. One is
// shown at a time; the switcher in the top bar (Alt+1, Alt+2, Alt+3) selects the three
// top-level ones, and a customer's page belongs to Customers.
const $ = (sel) => document.querySelector(sel);

const NAV = { customers: 'customers', customer: 'customers', jobs: 'jobs', settings: 'settings' };

export function createViews() {
  const tabs = [...document.querySelectorAll('#views [role="tab"]')];
  const handlers = new Map(); // view → [fn] called each time it is shown
  let current = 'customers';

  /** Shows `name` ('customers' | 'customer' | 'jobs' | 'settings'); runs its on-show handlers. */
  function show(name) {
    if (!NAV[name]) throw new Error(`no view ${name}`);
    const changed = name !== current;
    current = name;
    for (const v of Object.keys(NAV)) $(`#view-${v}`).hidden = v !== name;
    for (const t of tabs) {
      const on = t.dataset.view === NAV[name];
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
    }
    document.body.dataset.view = name;
    for (const fn of handlers.get(name) || []) fn({ changed });
  }

  for (const t of tabs) t.addEventListener('click', () => show(t.dataset.view));
  // Arrow keys move along the switcher, as in any tab list.
  $('#views').addEventListener('keydown', (e) => {
    const i = tabs.indexOf(document.activeElement);
    if (i < 0 || !['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1
      : (i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length;
    tabs[next].focus();
    show(tabs[next].dataset.view);
  });
  document.addEventListener('keydown', (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey || document.querySelector('dialog[open]')) return;
    const view = { 1: 'customers', 2: 'jobs', 3: 'settings' }[e.key];
    if (!view) return;
    e.preventDefault();
    show(view);
  });

  return {
    show,
    get current() { return current; },
    /** Calls `fn({changed})` whenever `name` is shown (also when it is shown again). */
    onShow(name, fn) {
      if (!handlers.has(name)) handlers.set(name, []);
      handlers.get(name).push(fn);
    },
  };
}
