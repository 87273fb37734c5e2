// Settings ▸ Services: the catalogue a customer's services and jobs choose from — each service
// with its plans — and adding a service with its plans. Services are not removed here: customers
// and jobs may use them.
import * as api from '../api.js';
import { el, errorFor, fieldErrors } from './dom.js';

export function createServicesSection(shell, { onServicesChanged }) {
  const list = el('ul', { id: 'services-list', class: 'services-list' });
  const inputs = {
    name: el('input', { id: 'service-name', name: 'name', autocomplete: 'off', placeholder: 'e.g. NAS backup' }),
    plans: el('input', { id: 'service-plans', name: 'plans', autocomplete: 'off', placeholder: 'Basic, Standard, Premium' }),
  };
  const errors = { name: errorFor(inputs.name), plans: errorFor(inputs.plans) };
  const add = el('button', { type: 'submit', id: 'service-add', class: 'primary' }, 'Add service');
  const form = el('form', { id: 'service-form', class: 'settings-add', noValidate: true, autocomplete: 'off' },
    el('div', { class: 'field' }, el('label', { htmlFor: 'service-name' }, 'Service'), inputs.name, errors.name),
    el('div', { class: 'field wide' }, el('label', { htmlFor: 'service-plans' }, 'Plans (comma-separated)'), inputs.plans, errors.plans),
    add);
  const problems = fieldErrors(inputs, errors, null, shell);
  const section = el('section', { id: 'settings-services', class: 'settings-card', 'aria-labelledby': 'settings-services-title' },
    el('h2', { id: 'settings-services-title', tabIndex: -1 }, 'Services'),
    el('p', { class: 'settings-intro' }, 'The catalogue of services and their plans that customers can be given.'),
    list, form);

  function render(catalogue) {
    list.replaceChildren(...catalogue.map((s) => {
      const li = el('li', {}, el('span', { class: 'service-name' }, s.name),
        el('span', { class: 'service-plans' }, ...s.plans.map((p) => el('span', { class: 'plan' }, p))));
      li.dataset.service = s.name;
      return li;
    }));
    if (!catalogue.length) list.append(el('li', { class: 'settings-empty' }, 'No services yet.'));
  }

  async function load() {
    try {
      render(await api.servicesCatalogue());
    } catch (err) {
      shell.showError(err);
    }
  }

  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    add.disabled = true;
    problems.clear();
    const plans = inputs.plans.value.split(',').map((p) => p.trim()).filter(Boolean);
    try {
      const made = await api.serviceAdd(inputs.name.value, plans);
      inputs.name.value = '';
      inputs.plans.value = '';
      shell.toast(`Added the service “${(made && made.name) || 'new'}”.`);
      await load();
      onServicesChanged();
      inputs.name.focus();
    } catch (err) {
      problems.show(err);
    } finally {
      busy = false;
      add.disabled = false;
    }
  });

  return { section, load };
}
