// The virtualised customers table: only the rows in view exist in the DOM, so a million rows
// scroll as lightly as ten.
//
// Geometry: #grid scrolls; inside it a spacer (#grid-inner) is as tall as the list (capped at
// MAX_PX, the engine's comfortable limit) and holds a sticky viewport with the table, whose body
// is refilled with the rows at the scroll position. `first` (the top row) is the source of truth;
// scrollTop maps to it exactly (scrollTop / rowHeight) while the list fits under the cap and
// proportionally above it, where the wheel is taken over so a notch moves rows, not thousands.
//
// Data: rows come from customers_window in blocks of BLOCK, cached per generation. A generation
// is one view (search, filter, sort) at one moment: a query change or a write starts a new one,
// so a late answer for an old one is simply dropped (latest wins). After a write the previous
// generation's rows stay on screen until their replacements arrive, so nothing flickers.
import * as api from '../../lib/api.js';
import { applySelection, buildRow } from './row.js';

const BLOCK = 200;
const MAX_PX = 8_000_000;
const OVERSCAN = 10;
const MAX_INFLIGHT = 2;
const MAX_BLOCKS = 300;
const CONTROL = { active: 'input.active-toggle', edit: 'button.edit', copy: 'button.copy', delete: 'button.delete' };

const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));

export function createCustomerGrid({ onOpen, onEdit, onCopy, onDelete, onToggle, onError, onCount, countryName }) {
  const grid = document.getElementById('grid');
  const spacer = document.getElementById('grid-inner');
  const viewport = document.getElementById('grid-viewport');
  const table = document.getElementById('customers');
  const thead = table.tHead;
  const tbody = table.tBodies[0];
  const empty = document.getElementById('empty');

  const query = { search: '', filter: 'all', service: null, sort: 'name', descending: false };
  let gen = 0;
  let total = null; // rows in the view; after a write the old number stays until the new arrives
  let totalFresh = false;
  let totalAsked = false;
  let totalRetries = 0;
  let waiters = [];
  let blocks = new Map();
  let stale = new Map();
  let staleCount = 0;
  let inflight = new Set();
  let failed = new Set();
  let first = 0;
  let selected = null;
  // After a refresh the rows may have moved (another window added some above): until the
  // selected customer's new place is known, the row at the old index is not it.
  let following = null; // the customer ID the selection follows through a refresh
  let picks = 0; // selections made, to tell whether the user moved on meanwhile
  let frame = 0;
  let wheelRows = 0;
  let expectedTop = null;
  let keptPlace = false; // this generation started after a write, in the same view
  let nodes = new Map(); // row index → {tr, c}: rows whose data did not change are kept as they are
  const geo = { rh: 34, head: 34, client: 0, vis: 1, n: 0, maxFirst: 0, height: -1, maxScroll: 0, capped: false };

  // ---- data -----------------------------------------------------------------------------------
  function count() {
    if (total != null) return total;
    const b0 = blocks.get(0);
    return b0 ? b0.length : staleCount;
  }

  function rowAt(i) {
    const b = Math.floor(i / BLOCK);
    const block = blocks.get(b) || stale.get(b);
    return block ? block[i - b * BLOCK] : undefined;
  }

  function setTotal(n) {
    total = n;
    totalFresh = true;
    if (!keptPlace) stale.clear(); // another view's rows must not stand in for this one's
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve(n);
    onCount(n, { ...query });
    schedule();
  }

  /** Resolves once the current generation's total is known (null if it could not be had). */
  function whenTotal() {
    if (totalFresh) return Promise.resolve(total);
    return new Promise((resolve) => { waiters.push(resolve); ensureTotal(); });
  }

  function ensureTotal() {
    if (totalFresh || totalAsked) return;
    totalAsked = true;
    const g = gen;
    api.customersTotal({ ...query }).then((n) => { if (g === gen) setTotal(n); }, (err) => {
      if (g !== gen) return;
      totalAsked = false;
      // Another view's index build interrupted this one: ask again, a few times.
      if (err.kind === 'cancelled' && totalRetries++ < 5) { setTimeout(() => { if (g === gen) ensureTotal(); }, 60); return; }
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve(null);
      onError(err);
    });
  }

  function fetchBlock(b) {
    const g = gen;
    inflight.add(b);
    api.customersWindow({ ...query }, b * BLOCK, BLOCK).then((w) => {
      if (g !== gen) return;
      inflight.delete(b);
      blocks.set(b, w.rows);
      stale.delete(b);
      if (b === 0 && !keptPlace) stale.clear(); // the old view's rows are no longer needed
      if (w.total != null) { if (!totalFresh || w.total !== total) setTotal(w.total); }
      else if (b === 0 && w.rows.length < BLOCK) setTotal(w.rows.length);
      else ensureTotal();
      evict(b);
      schedule();
    }, (err) => {
      if (g !== gen) return;
      inflight.delete(b);
      if (err.kind === 'cancelled') { setTimeout(() => { if (g === gen) schedule(); }, 60); return; }
      failed.add(b); // not retried until the next generation, so one failure is one message
      onError(err);
      schedule();
    });
  }

  /** Keeps a block cache bounded by dropping the blocks farthest from `current`. */
  function evict(current, map = blocks) {
    if (map.size <= MAX_BLOCKS) return;
    const far = [...map.keys()].sort((a, b) => Math.abs(b - current) - Math.abs(a - current));
    for (const b of far.slice(0, map.size - Math.floor(MAX_BLOCKS * 0.75))) map.delete(b);
  }

  /** Blocks the screen needs, the visible ones first. */
  function wanted() {
    const n = count();
    if (total == null && !blocks.has(0)) return [0]; // nothing is known before the first block
    if (n === 0) return [];
    const order = [];
    const add = (row) => {
      const b = Math.floor(clamp(row, 0, n - 1) / BLOCK);
      if (!order.includes(b)) order.push(b);
    };
    for (let r = first; r <= first + geo.vis; r += BLOCK) add(r);
    add(first + geo.vis);
    add(first - OVERSCAN);
    add(first + geo.vis + OVERSCAN);
    return order;
  }

  function pump() {
    for (const b of wanted()) {
      if (inflight.size >= MAX_INFLIGHT) break;
      if (!blocks.has(b) && !inflight.has(b) && !failed.has(b)) fetchBlock(b);
    }
  }

  /** Starts a new generation. keepPlace: after a write (same view, stay where we are). */
  function reset(keepPlace) {
    gen += 1;
    const done = waiters; // whoever waited for the old view's total learns it is gone
    waiters = [];
    for (const resolve of done) resolve(null);
    staleCount = count();
    if (blocks.size) stale = keepPlace ? new Map([...stale, ...blocks]) : blocks;
    evict(Math.floor(first / BLOCK), stale);
    blocks = new Map();
    inflight = new Set();
    failed = new Set();
    totalFresh = false;
    totalAsked = false;
    totalRetries = 0;
    keptPlace = keepPlace;
    if (!keepPlace) {
      total = null;
      first = 0;
      selected = null;
      following = null;
      wheelRows = 0;
      grid.scrollTop = 0;
      expectedTop = grid.scrollTop;
    }
  }

  // ---- geometry -------------------------------------------------------------------------------
  function layout() {
    const rh = parseFloat(getComputedStyle(grid).getPropertyValue('--row-h')) || 34;
    const client = grid.clientHeight;
    const head = thead.offsetHeight || rh;
    const vis = Math.max(1, Math.floor((client - head) / rh));
    const n = count();
    const maxFirst = Math.max(0, n - vis);
    const wantedHeight = maxFirst * rh + client;
    const height = Math.min(MAX_PX, wantedHeight);
    const changed = height !== geo.height || client !== geo.client || rh !== geo.rh;
    Object.assign(geo, {
      rh, client, head, vis, n, maxFirst, height, maxScroll: Math.max(0, height - client),
      capped: wantedHeight > MAX_PX,
    });
    if (changed) {
      spacer.style.height = `${height}px`;
      viewport.style.height = `${client}px`;
    }
    return changed;
  }

  const topFor = (f) => (geo.maxFirst ? (f / geo.maxFirst) * geo.maxScroll : 0);

  function firstFor(top) {
    if (!geo.maxFirst || !geo.maxScroll) return 0;
    const x = (top / geo.maxScroll) * geo.maxFirst;
    return clamp(geo.capped ? Math.round(x) : Math.floor(x + 1e-6), 0, geo.maxFirst);
  }

  function syncScroll() {
    const top = topFor(first);
    if (Math.abs(grid.scrollTop - top) >= 1) grid.scrollTop = top;
    expectedTop = grid.scrollTop;
  }

  function scrollToFirst(f) {
    first = clamp(Math.round(f), 0, geo.maxFirst);
    syncScroll();
    schedule();
  }

  // ---- rendering ------------------------------------------------------------------------------
  // Renders are coalesced to one per animation frame; the timer covers a slow or throttled
  // compositor (software rendering can stretch a frame to 250 ms) so data never waits on it.
  let timer = 0;
  function schedule() {
    if (frame) return;
    frame = requestAnimationFrame(render);
    timer = setTimeout(render, 40);
  }

  function render() {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    frame = 0;
    if (layout()) syncScroll();
    first = clamp(first, 0, geo.maxFirst);
    if (selected != null && total != null && selected >= geo.n) selected = geo.n ? geo.n - 1 : null;

    const focused = document.activeElement;
    const focusInTable = focused && tbody.contains(focused) ? {
      id: focused.closest('tr')?.dataset.id,
      control: Object.keys(CONTROL).find((k) => focused.matches(CONTROL[k])),
    } : null;

    const end = Math.min(geo.n, first + geo.vis + 1);
    const keep = new Map();
    const rows = [];
    for (let i = first; i < end; i += 1) {
      const c = rowAt(i);
      let entry = nodes.get(i);
      if (!entry || entry.c !== c) entry = { tr: buildRow(i, c, countryName), c };
      applySelection(entry.tr, i === selected);
      keep.set(i, entry);
      rows.push(entry.tr);
    }
    nodes = keep;
    const wantedRows = new Set(rows);
    for (const tr of [...tbody.children]) if (!wantedRows.has(tr)) tr.remove();
    rows.forEach((tr, k) => {
      const at = tbody.children[k];
      if (at !== tr) tbody.insertBefore(tr, at || null);
    });

    // A re-rendered row must not swallow the keyboard focus.
    if (focusInTable && !tbody.contains(focused)) {
      const tr = focusInTable.id && tbody.querySelector(`tr[data-id="${CSS.escape(focusInTable.id)}"]`);
      const el = tr && focusInTable.control && tr.querySelector(CONTROL[focusInTable.control]);
      (el && !el.disabled ? el : grid).focus({ preventScroll: true });
    }

    empty.hidden = !(geo.n === 0 && total === 0);
    table.setAttribute('aria-rowcount', String(geo.n + 1));
    if (selected != null && selected >= first && selected < end) grid.setAttribute('aria-activedescendant', `row-${selected}`);
    else grid.removeAttribute('aria-activedescendant');
    pump();
  }

  // ---- selection and keyboard -----------------------------------------------------------------
  function select(i, { center = false } = {}) {
    following = null;
    picks += 1;
    layout();
    const n = count();
    if (!n) { selected = null; schedule(); return; }
    selected = clamp(i, 0, n - 1);
    if (selected < first || selected >= first + geo.vis) {
      if (center) scrollToFirst(selected - Math.floor(geo.vis / 3));
      else scrollToFirst(selected < first ? selected : selected - geo.vis + 1);
    }
    for (const [index, entry] of nodes) applySelection(entry.tr, index === selected); // at once, not next frame
    schedule();
  }

  function selectedCustomer() {
    const c = selected == null ? undefined : rowAt(selected);
    return following != null && c?.customer_id !== following ? undefined : c;
  }

  /**
   * After a refresh: the selection stays on its customer at its new place, without scrolling
   * (rows another window added must not move the view). A customer that is gone (deleted here
   * or elsewhere) leaves the selection where it was, on the row that took its place, as after
   * a delete. A newer refresh takes over the following.
   */
  async function follow(customerId) {
    const g = gen;
    const p = picks;
    following = customerId;
    await whenTotal();
    if (g !== gen || p !== picks) return;
    const pos = await api.customerPosition({ ...query }, customerId).catch(() => null);
    if (g !== gen || p !== picks) return;
    following = null;
    if (pos != null) selected = pos; // the next frame draws it there
    schedule();
  }

  grid.addEventListener('keydown', (e) => {
    if (e.target !== grid || e.altKey || e.ctrlKey || e.metaKey) return;
    const cur = selected ?? first - 1;
    const c = selectedCustomer();
    switch (e.key) {
      case 'ArrowDown': select(selected == null ? first : cur + 1); break;
      case 'ArrowUp': select(selected == null ? first : cur - 1); break;
      case 'PageDown': select(Math.max(cur, 0) + geo.vis); break;
      case 'PageUp': select(Math.max(cur, 0) - geo.vis); break;
      case 'Home': select(0); break;
      case 'End': select(count() - 1); break;
      case 'Enter': if (c) onOpen(c); break;
      case 'F2': if (c) onEdit(c); break;
      case 'Delete': if (c) onDelete(c); break;
      case ' ': case 'Spacebar': if (c) onToggle(c, !c.active, null); break;
      default: return;
    }
    e.preventDefault();
  });

  grid.addEventListener('scroll', () => {
    if (expectedTop !== null && Math.abs(grid.scrollTop - expectedTop) < 1) return;
    // A resize clamps scrollTop before the next layout: not a move by the user. Keep `first`.
    if (grid.clientHeight !== geo.client) { schedule(); return; }
    expectedTop = null;
    const f = firstFor(grid.scrollTop);
    if (f !== first) { first = f; schedule(); }
  }, { passive: true });

  // Above the cap a pixel is several rows: move by rows instead, ~deltaY / rowHeight per event.
  grid.addEventListener('wheel', (e) => {
    if (!geo.capped || e.ctrlKey) return;
    e.preventDefault();
    const rows = e.deltaMode === 1 ? e.deltaY : e.deltaMode === 2 ? e.deltaY * geo.vis : e.deltaY / geo.rh;
    wheelRows += rows;
    const step = Math.trunc(wheelRows);
    if (step) { wheelRows -= step; scrollToFirst(first + step); }
  }, { passive: false });

  new ResizeObserver(() => schedule()).observe(grid);

  tbody.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-index]');
    if (!tr) return;
    const i = Number(tr.dataset.index);
    const c = rowAt(i);
    const control = e.target.closest('button, input');
    select(i);
    if (!control) { grid.focus({ preventScroll: true }); return; }
    if (!c) return;
    if (control.matches(CONTROL.edit)) onEdit(c);
    else if (control.matches(CONTROL.copy)) onCopy(c);
    else if (control.matches(CONTROL.delete)) onDelete(c);
  });
  tbody.addEventListener('change', (e) => {
    const box = e.target.closest(CONTROL.active);
    const tr = box && box.closest('tr[data-index]');
    const c = tr && rowAt(Number(tr.dataset.index));
    if (c) onToggle(c, box.checked, box);
  });
  tbody.addEventListener('dblclick', (e) => {
    const tr = e.target.closest('tr[data-index]');
    if (!tr || e.target.closest('button, input')) return;
    const c = rowAt(Number(tr.dataset.index));
    if (c) onOpen(c);
  });

  // Tab order: … toolbar (its last stop is Export…) → sort buttons → the grid → the selected
  // row's controls → beyond. (The DOM puts the focusable grid before the header inside it,
  // hence the explicit order.)
  document.addEventListener('keydown', (e) => {
    // Shift+Tab can arrive as key "Unidentified" (GDK's ISO_Left_Tab), so check the code too.
    const isTab = e.key === 'Tab' || e.code === 'Tab' || e.keyCode === 9;
    if (!isTab || e.ctrlKey || e.altKey || e.metaKey || document.querySelector('dialog[open]')) return;
    const before = document.getElementById('export-button');
    const sel = selected == null ? null : tbody.querySelector(`tr[data-index="${selected}"]`);
    const controls = sel ? [...sel.querySelectorAll('input, button')].filter((el) => !el.disabled) : [];
    const order = [...thead.querySelectorAll('button[data-sort]'), grid, ...controls];
    const beyond = document.querySelector('#toasts button') || document.getElementById('new-name');
    const active = document.activeElement;
    let target = null;
    if (active === before) target = e.shiftKey ? null : order[0];
    else if (active === beyond && e.shiftKey && beyond.closest('#toasts')) target = order[order.length - 1];
    else {
      const k = order.indexOf(active);
      if (k === -1) return;
      if (e.shiftKey) target = k === 0 ? before : order[k - 1];
      else target = k < order.length - 1 ? order[k + 1] : beyond;
    }
    if (!target) return;
    e.preventDefault();
    target.focus({ preventScroll: true });
  }, true);

  // ---- sorting --------------------------------------------------------------------------------
  function showSort() {
    for (const b of thead.querySelectorAll('button[data-sort]')) {
      const on = b.dataset.sort === query.sort;
      const th = b.closest('th');
      b.classList.toggle('sorted', on);
      b.querySelector('.sort-mark').textContent = on ? (query.descending ? ' ▼' : ' ▲') : '';
      if (on) th.setAttribute('aria-sort', query.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
  }

  thead.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-sort]');
    if (!b) return;
    const keep = selectedCustomer();
    if (query.sort === b.dataset.sort) setQuery({ descending: !query.descending });
    else setQuery({ sort: b.dataset.sort, descending: false });
    if (keep) findAndSelect(keep.customer_id);
  });

  /** After a re-sort, the row that was selected stays selected at its new place. */
  async function findAndSelect(customerId) {
    const g = gen;
    await whenTotal();
    if (g !== gen) return;
    const pos = await api.customerPosition({ ...query }, customerId).catch(() => null);
    if (g === gen && pos != null && selected == null) select(pos, { center: true });
  }

  function setQuery(patch) {
    Object.assign(query, patch);
    reset(false);
    showSort();
    ensureTotal();
    schedule();
    // A broad search over a million rows takes a moment to count: say so rather than show the
    // previous view's number.
    const g = gen;
    setTimeout(() => { if (g === gen && !totalFresh) onCount(null, { ...query }); }, 200);
  }

  /** Replaces one customer's cached row (after a write), so the screen shows it at once. */
  function patch(customer, previousId = customer.customer_id) {
    for (const map of [blocks, stale]) {
      for (const rows of map.values()) {
        const k = rows.findIndex((r) => r.customer_id === previousId);
        if (k !== -1) rows[k] = customer;
      }
    }
    schedule();
  }

  showSort();
  return {
    get query() { return { ...query }; },
    get generation() { return gen; },
    get total() { return total; },
    setQuery,
    /** After a write: new generation, same place; resolves when the new total is known. */
    refresh() {
      // Still following from an earlier refresh: follow on (the row at the index is not it).
      const keep = following ?? selectedCustomer()?.customer_id;
      reset(true);
      ensureTotal();
      schedule();
      const done = whenTotal();
      if (keep != null) follow(keep);
      return done;
    },
    whenTotal,
    select,
    selectedCustomer,
    get selectedIndex() { return selected; },
    patch,
    focus() { grid.focus({ preventScroll: true }); },
    start() { ensureTotal(); schedule(); return whenTotal(); },
  };
}
