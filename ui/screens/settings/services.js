// Settings ▸ Services: the catalogue a customer's services and jobs choose from — each service
// with its plans — and adding a service with its plans. Services are not removed here: customers
// and jobs may use them.
import * as api from '../../lib/api.js';
import { addForm, el } from '../../lib/dom.js';

export function createServicesSection(shell, { onServicesChanged }) {
  const list = el('ul', { id: 'services-list', class: 'services-list' });
  const form = addForm(shell, {
    id: 'service-form',
    fields: [
      { key: 'name', label: 'Service', input: el('input', { id: 'service-name', name: 'name', autocomplete: 'off', placeholder: 'e.g. NAS backup' }) },
      { key: 'plans', label: 'Plans (comma-separated)', wide: true, input: el('input', { id: 'service-plans', name: 'plans', autocomplete: 'off', placeholder: 'Basic, Standard, Premium' }) },
    ],
    button: { id: 'service-add', label: 'Add service' },
    submit(inputs) {
      const plans = inputs.plans.value.split(',').map((p) => p.trim()).filter(Boolean);
      return api.serviceAdd(inputs.name.value, plans);
    },
    async added(made) {
      shell.toast(`Added the service “${(made && made.name) || 'new'}”.`);
      await load();
      onServicesChanged();
    },
  });
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

  return { section, load };
}
