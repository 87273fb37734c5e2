// One customer's page: the header (name, ID, validity, Edit/Copy/Activate), the tab list and
// the Profile tab; the other tabs live in their own modules and are (re)loaded each time they are
// shown. Every load belongs to one `open` call: answers that arrive after the page moved on to
// another customer (or back to the list) are dropped, so a slow answer never shows the wrong
// customer or flashes an error that no longer matters.
import * as api from '../../lib/api.js';
import { h } from '../../lib/form.js';
import { createUsersTab } from './users-tab.js';
import { createGroupsTab } from './groups-tab.js';
import { createServicesTab } from './services-tab.js';
import { createJobsTab } from './jobs-tab.js';
import { createHistoryTab } from './history-tab.js';

const $ = (sel) => document.querySelector(sel);
const TABS = ['profile', 'users', 'groups', 'services', 'jobs', 'history'];
const VALIDITY = { valid: 'Active', invalid: 'Inactive', 'invalid-temporarily': 'Inactive (temporarily)' };
const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Inputs typed into (and selects): there Esc belongs to the control, not to "back". */
function isTextEntry(el) {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || el.isContentEditable) return true;
  return el instanceof HTMLInputElement
    && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
}

function when(text) {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : stamp.format(d);
}

export function createCustomerPage(shell, { views, dialog, copyDialog, countryName, screen }) {
  const tabButtons = TABS.map((t) => $(`#cp-tab-${t}`));
  let customerId = null;
  let customer = null;
  let current = 'profile';
  let generation = 0;

  // ---- what the tabs get -------------------------------------------------------------------------
  const ctx = {
    shell,
    get id() { return customerId; },
    get customer() { return customer; },
    /** The current open call; a load compares it after each await (see `live`). */
    get generation() { return generation; },
    live: (g) => g === generation,
    /**
     * For a `not_found` error: does the customer itself still exist? If not, the page goes back to
     * the list with a toast and this resolves true (the caller shows nothing more).
     */
    async gone(err) {
      if (!err || err.kind !== 'not_found' || customerId == null) return false;
      const g = generation;
      try {
        await api.customerGet(customerId);
        return false;
      } catch (again) {
        if (again.kind !== 'not_found') return false;
        if (g === generation) leaveDeleted();
        return true;
      }
    },
    /** Shows `err` unless the customer is gone (then the page has already left). */
    async fail(err) {
      if (!(await ctx.gone(err))) shell.showError(err);
    },
    /** Something the list shows changed (validity, jobs, services). */
    listChanged: () => screen.refresh(),
    /** The customer's row changed on the backend (e.g. its jobs count): re-read the header. */
    async reloadCustomer() {
      const g = generation;
      const c = await api.customerGet(customerId);
      if (g === generation) { customer = c; renderHeader(); }
    },
    showTab: (tab) => selectTab(tab, { focus: true }),
  };

  const tabs = {
    profile: { load: async () => renderProfile(), reset: () => $('#cp-profile').replaceChildren() },
    users: createUsersTab(ctx),
    groups: createGroupsTab(ctx),
    services: createServicesTab(ctx),
    jobs: createJobsTab(ctx),
    history: createHistoryTab(ctx),
  };

  function leaveDeleted() {
    const name = customer ? `“${customer.name}”` : 'That customer';
    close();
    screen.refresh();
    shell.toast(`${name} no longer exists; it was deleted.`);
  }

  // ---- header and profile ------------------------------------------------------------------------
  function renderHeader() {
    const c = customer;
    $('#cp-name').textContent = c ? c.name : '';
    $('#cp-id').textContent = c ? c.customer_id : customerId || '';
    const badge = $('#cp-validity');
    badge.textContent = c ? VALIDITY[c.validity] || c.validity : '';
    badge.className = `cp-validity ${c ? (c.active ? 'on' : 'off') : ''}`;
    const toggle = $('#cp-active');
    toggle.textContent = c && !c.active ? 'Activate' : 'Deactivate';
    toggle.disabled = !c || (c.own && c.active);
    toggle.title = c && c.own && c.active ? 'Your own company is always active'
      : c && c.active ? 'Make this customer inactive: its users can no longer log in' : 'Make this customer active (valid)';
    for (const b of ['#cp-edit', '#cp-copy', '#cp-profile-edit']) $(b).disabled = !c;
    $('#view-customer').setAttribute('aria-label', c ? `Customer ${c.name}` : 'Customer');
    if (current === 'profile') renderProfile();
  }

  function renderProfile() {
    const c = customer;
    const dl = $('#cp-profile');
    if (!c) { dl.replaceChildren(); return; }
    const country = c.country ? `${countryName(c.country) || c.country} (${c.country})` : '';
    const mapping = c.autotask
      ? `${c.autotask.company_name} (Autotask id ${c.autotask.company_id}, ${c.autotask.status})`
      : c.autotask_company || '';
    const rows = [
      ['Name', c.name], ['Customer ID', c.customer_id], ['Street', c.street], ['ZIP', c.zip],
      ['City', c.city], ['Country', country], ['URL', c.url], ['Comment', c.comment],
      ['Validity', `${VALIDITY[c.validity] || c.validity}${c.own ? ' · your own company' : ''}`],
      ['Autotask company', mapping || 'Not mapped'],
      ['Created', when(c.created_at)], ['Updated', when(c.updated_at)],
    ];
    dl.replaceChildren(...rows.flatMap(([label, value]) => [
      h('dt', {}, label),
      h('dd', { className: value ? (label === 'Comment' ? 'cp-comment' : '') : 'cp-none' }, value || '—'),
    ]));
  }

  // ---- tabs --------------------------------------------------------------------------------------
  /** Shows `tab` and (re)loads it; `focus` moves the keyboard to its tab button. */
  function selectTab(tab, { focus = false, load = true } = {}) {
    if (!TABS.includes(tab)) tab = 'profile';
    current = tab;
    TABS.forEach((t, i) => {
      const on = t === tab;
      tabButtons[i].setAttribute('aria-selected', on ? 'true' : 'false');
      tabButtons[i].tabIndex = on ? 0 : -1;
      $(`#cp-panel-${t}`).hidden = !on;
    });
    if (focus) tabButtons[TABS.indexOf(tab)].focus();
    if (load && customer) loadTab(tab);
  }

  function loadTab(tab) {
    const panel = $(`#cp-panel-${tab}`);
    const g = generation;
    panel.setAttribute('aria-busy', 'true');
    Promise.resolve(tabs[tab].load())
      .catch((err) => { if (g === generation) return ctx.fail(err); return null; })
      .finally(() => panel.setAttribute('aria-busy', 'false'));
  }

  function step(by) {
    const i = (TABS.indexOf(current) + by + TABS.length) % TABS.length;
    selectTab(TABS[i], { focus: true });
  }

  tabButtons.forEach((b, i) => b.addEventListener('click', () => selectTab(TABS[i])));
  $('#cp-tabs').addEventListener('keydown', (e) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key) || e.altKey || e.ctrlKey) return;
    e.preventDefault();
    if (e.key === 'Home') selectTab(TABS[0], { focus: true });
    else if (e.key === 'End') selectTab(TABS[TABS.length - 1], { focus: true });
    else step(e.key === 'ArrowRight' ? 1 : -1);
  });
  document.addEventListener('keydown', (e) => {
    if (views.current !== 'customer' || document.querySelector('dialog[open]')) return;
    if (e.ctrlKey && !e.altKey && (e.key === 'PageUp' || e.key === 'PageDown')) {
      e.preventDefault();
      step(e.key === 'PageDown' ? 1 : -1);
    } else if (e.altKey && !e.ctrlKey && e.key === 'ArrowLeft') {
      e.preventDefault();
      close();
    } else if (e.key === 'Escape' && !e.ctrlKey && !e.altKey && !isTextEntry(e.target)) {
      if ($('#toasts').firstChild) return; // this Esc dismisses the toast (app.js); the next goes back
      e.preventDefault();
      close();
    }
  });

  // ---- header actions ----------------------------------------------------------------------------
  $('#cp-back').addEventListener('click', () => close());
  const edit = () => { if (customerId != null) dialog.open(customerId); };
  $('#cp-edit').addEventListener('click', edit);
  $('#cp-profile-edit').addEventListener('click', edit);
  $('#cp-copy').addEventListener('click', () => { if (customer) copyDialog.open(customer); });
  $('#cp-active').addEventListener('click', async () => {
    if (!customer) return;
    const toggle = $('#cp-active');
    const g = generation;
    toggle.disabled = true;
    try {
      const saved = await api.customerSetActive(customer.customer_id, !customer.active);
      shell.clearUndo();
      screen.refresh();
      if (g !== generation) return;
      customer = saved;
      renderHeader();
      shell.toast(`${saved.name} is ${saved.active ? 'active' : 'inactive'} now.`);
      if (current !== 'profile') loadTab(current); // users' "Can log in" follows the customer
    } catch (err) {
      if (g === generation) { renderHeader(); await ctx.fail(err); }
    }
  });

  // Another window or the CLI wrote to the file (customers.js noticed): the open page's header
  // and profile catch up, or the page goes if its customer was deleted. A tab's lists reload
  // when shown again; a form being filled in is left alone.
  window.addEventListener('outside-write', async () => {
    if (views.current !== 'customer' || customerId == null) return;
    const g = generation;
    try {
      const c = await api.customerGet(customerId);
      if (g !== generation) return;
      customer = c;
      renderHeader();
      if (current === 'profile') renderProfile();
    } catch (err) {
      if (g === generation && err.kind === 'not_found') leaveDeleted();
    }
  });

  // ---- the page's interface ----------------------------------------------------------------------
  function close() {
    generation += 1;
    views.show('customers');
    screen.focusGrid();
  }

  return {
    /** Shows the page of `customerId` at `tab` ('profile' by default). */
    async open(id, tab = 'profile') {
      generation += 1;
      const g = generation;
      if (id !== customerId || !customer) {
        customerId = id;
        customer = null;
        for (const t of Object.values(tabs)) t.reset();
        renderHeader();
      }
      views.show('customer');
      selectTab(tab, { focus: true, load: false });
      try {
        const c = await api.customerGet(id);
        if (g !== generation) return;
        customer = c;
        renderHeader();
        loadTab(current);
      } catch (err) {
        if (g !== generation) return;
        if (err.kind === 'not_found') leaveDeleted();
        else shell.showError(err);
      }
    },
    /** The edit dialog saved a customer (its ID may have changed). */
    afterEdit(saved, previousId) {
      if (customerId == null || (previousId !== customerId && saved.customer_id !== customerId)) return;
      customerId = saved.customer_id;
      customer = saved;
      renderHeader();
      if (views.current === 'customer' && current !== 'profile') loadTab(current);
    },
    /** Back to the list (Esc / Back). */
    close,
  };
}
