// The Jobs view: every backup job of active customers (the backend leaves out inactive ones),
// filtered by service on the backend and by customer or job name here. A customer's name, or
// Enter on a row, opens that customer's page on its Jobs tab. Reloaded each time it is shown.
import * as api from '../../lib/api.js';
import { el } from '../../lib/dom.js';

const COLUMNS = [['Customer', 'jv-customer'], ['Job', 'jv-job'], ['Service', 'jv-service'], ['Schedule', 'jv-schedule'], ['Active', 'jv-active center']];

export function createJobsView(shell, { views, openCustomer }) {
  const root = document.querySelector('#view-jobs');
  const count = el('span', { id: 'jobs-count', class: 'jv-count', 'aria-live': 'polite' });
  const service = el('select', { id: 'jobs-service' }, el('option', { value: '' }, 'Any'));
  const filter = el('input', { id: 'jobs-filter', type: 'search', placeholder: 'Filter by customer or job', spellcheck: false, autocomplete: 'off' });
  const head = el('div', { class: 'jv-head' },
    el('h2', { id: 'jobs-title' }, 'Backup jobs of active customers'), count,
    el('label', { htmlFor: 'jobs-service', class: 'secondary' }, 'Service'), service,
    el('label', { htmlFor: 'jobs-filter', class: 'visually-hidden' }, 'Filter jobs'), filter);
  const tbody = el('tbody');
  const table = el('table', { id: 'jobs-table', class: 'plain-table', 'aria-labelledby': 'jobs-title' },
    el('thead', {}, el('tr', {}, ...COLUMNS.map(([label, cls]) => el('th', { class: cls, scope: 'col' }, label)))),
    tbody);
  const empty = el('p', { id: 'jobs-empty', class: 'jv-empty', hidden: true });
  const scroller = el('div', { class: 'view-scroll jv-scroll' }, table, empty);
  root.append(head, scroller);

  let jobs = [];
  let selected = -1; // index into the rows shown
  let loadSeq = 0;

  const shown = () => [...tbody.rows];

  function select(i, focus = true) {
    const rows = shown();
    if (!rows.length) { selected = -1; return; }
    selected = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((tr, k) => {
      tr.classList.toggle('selected', k === selected);
      tr.setAttribute('aria-selected', k === selected ? 'true' : 'false');
      tr.tabIndex = k === selected ? 0 : -1;
    });
    if (focus) rows[selected].focus();
    rows[selected].scrollIntoView({ block: 'nearest' });
  }

  function row(job) {
    const link = el('button', { type: 'button', class: 'link jv-open', title: `Open ${job.customer_name}'s jobs` }, job.customer_name);
    link.tabIndex = -1; // the row is the Tab stop; Enter on it opens the same page
    link.addEventListener('click', () => openCustomer(job.customer_id, 'jobs'));
    const tr = el('tr', { tabIndex: -1 },
      el('td', { class: 'jv-customer' }, link, el('span', { class: 'jv-id' }, job.customer_id)),
      el('td', { class: 'jv-job', title: job.name }, job.name),
      el('td', { class: 'jv-service' }, job.service),
      el('td', { class: 'jv-schedule' }, job.schedule || '—'),
      el('td', { class: 'jv-active center' }, job.active ? 'Yes' : 'No'));
    tr.dataset.customer = job.customer_id;
    tr.dataset.job = job.name;
    if (!job.active) tr.classList.add('inactive');
    tr.setAttribute('aria-selected', 'false');
    return tr;
  }

  function render() {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const matching = jobs.filter((j) => {
      const text = `${j.customer_name} ${j.customer_id} ${j.name}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
    tbody.replaceChildren(...matching.map(row));
    const n = matching.length;
    count.textContent = n === jobs.length ? `${n} ${n === 1 ? 'job' : 'jobs'}` : `${n} of ${jobs.length} jobs`;
    table.hidden = n === 0;
    empty.hidden = n !== 0;
    if (!jobs.length) {
      empty.textContent = service.value
        ? `No ${service.value} jobs. Jobs of inactive customers are not shown here; add jobs on a customer's Jobs tab.`
        : "No jobs. Jobs of inactive customers are not shown here; add jobs on a customer's Jobs tab.";
    } else {
      empty.textContent = 'No job matches the filter.';
    }
    selected = -1;
    if (n) select(0, false);
  }

  async function loadCatalogue() {
    try {
      const catalogue = await api.servicesCatalogue();
      const keep = service.value;
      service.replaceChildren(el('option', { value: '' }, 'Any'), ...catalogue.map((s) => el('option', { value: s.name }, s.name)));
      service.value = catalogue.some((s) => s.name === keep) ? keep : '';
    } catch (err) {
      shell.showError(err);
    }
  }

  async function load() {
    const seq = ++loadSeq;
    try {
      const list = await api.jobsView(service.value || null);
      if (seq !== loadSeq) return;
      jobs = list;
      render();
    } catch (err) {
      if (seq === loadSeq) shell.showError(err);
    }
  }

  service.addEventListener('change', load);
  filter.addEventListener('input', render);
  filter.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && tbody.rows.length) { e.preventDefault(); select(Math.max(selected, 0)); }
  });
  tbody.addEventListener('click', (e) => {
    const tr = e.target.closest('tr');
    if (tr && !e.target.closest('button')) select(tr.sectionRowIndex);
  });
  tbody.addEventListener('dblclick', (e) => {
    const tr = e.target.closest('tr');
    if (tr) openCustomer(tr.dataset.customer, 'jobs');
  });
  tbody.addEventListener('keydown', (e) => {
    const rows = shown();
    if (!rows.length) return;
    const page = Math.max(1, Math.floor(scroller.clientHeight / (rows[0].offsetHeight || 30)) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) { e.preventDefault(); select(selected + moves[e.key]); }
    else if (e.key === 'Home') { e.preventDefault(); select(0); }
    else if (e.key === 'End') { e.preventDefault(); select(rows.length - 1); }
    else if (e.key === 'Enter' && selected >= 0) {
      e.preventDefault();
      openCustomer(rows[selected].dataset.customer, 'jobs');
    }
  });

  views.onShow('jobs', async () => {
    await loadCatalogue();
    await load();
  });
  return {};
}
