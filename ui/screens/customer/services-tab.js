// The customer page's Services tab: the customer's services with their plan (changing the select
// saves it), Remove (refused by the backend while jobs use the service), and "Add service" for
// the catalogue's services the customer does not have yet.
import * as api from '../../lib/api.js';
import { h, button, fillSelect, removeRow } from '../../lib/form.js';

const $ = (sel) => document.querySelector(sel);

export function createServicesTab(ctx) {
  const { shell } = ctx;
  const tbody = $('#cp-services tbody');
  const addForm = $('#cp-service-form');
  const newService = $('#cp-service-new');
  const newPlan = $('#cp-service-plan');
  let catalogue = []; // [{name, plans}]
  let services = []; // [{service, plan}]

  async function load() {
    const g = ctx.generation;
    const [cat, list] = await Promise.all([api.servicesCatalogue(), api.customerServices(ctx.id)]);
    if (!ctx.live(g)) return;
    catalogue = cat;
    services = list;
    render();
  }

  function reset() {
    services = [];
    tbody.replaceChildren();
    $('#cp-services-empty').hidden = true;
    addForm.hidden = true;
    $('#cp-services-none').hidden = true;
  }

  const plansOf = (name) => (catalogue.find((s) => s.name === name) || { plans: [] }).plans;

  function render() {
    tbody.replaceChildren(...services.map(row));
    $('#cp-services-empty').hidden = services.length > 0;
    const have = new Set(services.map((s) => s.service));
    const offer = catalogue.filter((s) => !have.has(s.name));
    addForm.hidden = offer.length === 0;
    const none = $('#cp-services-none');
    none.hidden = offer.length > 0;
    none.textContent = catalogue.length === 0
      ? 'The service catalogue is empty; add services in Settings ▸ Services.'
      : 'The customer has every service of the catalogue; more are added in Settings ▸ Services.';
    const keep = newService.value;
    fillSelect(newService, offer.map((s) => s.name), keep);
    fillPlans();
  }

  function fillPlans() {
    fillSelect(newPlan, plansOf(newService.value));
  }

  function row(s) {
    const select = h('select', { 'aria-label': `Plan of ${s.service}` });
    const plans = plansOf(s.service);
    // A plan the catalogue no longer lists still shows as the current one.
    fillSelect(select, plans.includes(s.plan) ? plans : [s.plan, ...plans], s.plan);
    select.addEventListener('change', () => setPlan(s, select));
    return h('tr', { 'data-service': s.service },
      h('td', { className: 'cp-key' }, s.service),
      h('td', {}, select),
      h('td', { className: 'actions' }, button('Remove', () => remove(s), { className: 'cp-delete' })));
  }

  async function setPlan(s, select) {
    const plan = select.value;
    select.disabled = true;
    try {
      const saved = await api.customerServiceSet(ctx.id, s.service, plan);
      shell.clearUndo();
      s.plan = saved.plan;
      shell.toast(`${s.service}: plan ${saved.plan}.`);
    } catch (err) {
      select.value = s.plan;
      await ctx.fail(err);
    } finally {
      select.disabled = false;
    }
  }

  async function remove(s) {
    // A refusal ("jobs use it") says which, through ctx.fail.
    await removeRow(shell, ctx, {
      question: `Remove the service “${s.service}” from this customer?`,
      verb: 'Remove',
      run: () => api.customerServiceRemove(ctx.id, s.service),
      after: () => {
        services = services.filter((x) => x.service !== s.service);
        render();
        ctx.listChanged(); // the list's service filter
      },
      done: `Removed service ${s.service}.`,
    });
  }

  newService.addEventListener('change', fillPlans);
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const service = newService.value;
    const plan = newPlan.value;
    if (!service) return;
    const submit = $('#cp-service-submit');
    submit.disabled = true;
    try {
      const saved = await api.customerServiceSet(ctx.id, service, plan);
      shell.clearUndo();
      services.push(saved);
      services.sort((a, b) => a.service.localeCompare(b.service));
      render();
      ctx.listChanged();
      shell.toast(`Added service ${saved.service} (${saved.plan}).`);
      (newService.options.length ? newService : tbody.querySelector(`tr[data-service="${CSS.escape(service)}"] select`))?.focus();
    } catch (err) {
      await ctx.fail(err);
    } finally {
      submit.disabled = false;
    }
  });

  return { load, reset };
}
