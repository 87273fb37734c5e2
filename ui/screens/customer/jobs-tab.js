// The customer page's Jobs tab: the customer's backup jobs (name, service, schedule, active) with
// add / edit in a dialog and delete. A job's service is one of the customer's services, so
// without services the tab points to the Services tab instead of offering "Add job".
import * as api from '../../lib/api.js';
import { h, button, cellText, modalForm, fillSelect, removeRow } from '../../lib/form.js';

const $ = (sel) => document.querySelector(sel);

export function createJobsTab(ctx) {
  const { shell } = ctx;
  const tbody = $('#cp-jobs tbody');
  let jobs = [];
  let services = []; // the customer's service names
  let editing = null; // the job the dialog edits; null: it adds

  async function load() {
    const g = ctx.generation;
    const [list, mine] = await Promise.all([api.jobsOfCustomer(ctx.id), api.customerServices(ctx.id)]);
    if (!ctx.live(g)) return;
    jobs = list;
    services = mine.map((s) => s.service);
    render();
  }

  function reset() {
    jobs = [];
    tbody.replaceChildren();
    $('#cp-jobs-empty').hidden = true;
    $('#cp-jobs-note').hidden = true;
  }

  function render() {
    tbody.replaceChildren(...jobs.map(row));
    $('#cp-jobs-empty').hidden = jobs.length > 0;
    $('#cp-job-add').disabled = services.length === 0;
    $('#cp-jobs-note').hidden = services.length > 0;
  }

  function row(job) {
    return h('tr', { 'data-job': job.name, className: job.active ? '' : 'inactive' },
      h('td', { className: 'cp-key' }, job.name),
      h('td', {}, job.service),
      h('td', {}, cellText(job.schedule)),
      h('td', {}, job.active ? 'Yes' : 'No'),
      h('td', { className: 'actions' },
        button('Edit…', () => openEdit(job)),
        button('Delete', () => remove(job), { className: 'cp-delete' })));
  }

  async function remove(job) {
    await removeRow(shell, ctx, {
      question: `Delete the backup job “${job.name}” (${job.service})?`,
      verb: 'Delete',
      run: () => api.jobDelete(ctx.id, job.name),
      after: () => {
        jobs = jobs.filter((j) => j.name !== job.name);
        render();
        ctx.listChanged(); // the list's Jobs column
      },
      done: `Deleted job ${job.name}.`,
      focus: '#cp-job-add',
    });
  }

  // ---- the add / edit dialog ---------------------------------------------------------------------
  const form = modalForm($('#cp-job-dialog'), { submit: save, gone: ctx.gone });
  const field = (n) => form.form.elements.namedItem(n);

  function open(job) {
    editing = job ? job.name : null;
    $('#cp-job-title').textContent = job ? `Edit backup job ${job.name}` : 'Add a backup job';
    $('#cp-job-submit').textContent = job ? 'Save' : 'Add job';
    // An edited job keeps its service even if the customer's list no longer has it.
    const offer = job && !services.includes(job.service) ? [job.service, ...services] : services;
    fillSelect(field('service'), offer, job ? job.service : null);
    field('name').value = job ? job.name : '';
    field('schedule').value = job ? job.schedule || '' : '';
    field('active').checked = job ? job.active : true;
    form.open(field('name'));
  }
  const openEdit = (job) => open(job);

  async function save() {
    const fields = {
      name: field('name').value,
      service: field('service').value,
      schedule: field('schedule').value || null,
      active: field('active').checked,
    };
    if (editing == null) {
      const job = await api.jobAdd(ctx.id, fields);
      shell.clearUndo();
      jobs.push(job);
      jobs.sort((a, b) => a.name.localeCompare(b.name));
      render();
      ctx.listChanged();
      shell.toast(`Added job ${job.name}.`);
    } else {
      const job = await api.jobUpdate(ctx.id, editing, fields);
      shell.clearUndo();
      const i = jobs.findIndex((j) => j.name === editing);
      if (i >= 0) jobs[i] = job;
      render();
      ctx.listChanged(); // an active flag may count differently
      shell.toast(`Saved job ${job.name}.`);
    }
    return true;
  }

  $('#cp-job-add').addEventListener('click', () => open(null));
  $('#cp-jobs-to-services').addEventListener('click', () => ctx.showTab('services'));

  return { load, reset };
}
