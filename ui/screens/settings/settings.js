// Settings: Administrators, Group template, Services, Deleted customers and the Autotask
// connection — stacked cards with a section list on the left that jumps to each. Every section
// reloads each time the view is shown.
import { el } from '../../lib/dom.js';
import { createAdminsSection } from './admins.js';
import { createTemplateSection } from './template.js';
import { createServicesSection } from './services.js';
import { createDeletedSection } from './deleted.js';

function autotaskSection(autotaskDialog) {
  const open = el('button', { type: 'button', id: 'settings-autotask-open' }, 'Autotask connection…');
  open.addEventListener('click', () => autotaskDialog.open());
  return el('section', { id: 'settings-autotask', class: 'settings-card', 'aria-labelledby': 'settings-autotask-title' },
    el('h2', { id: 'settings-autotask-title', tabIndex: -1 }, 'Autotask'),
    el('p', { class: 'settings-intro' }, 'The credentials Clientbook uses to look up and check Autotask companies; kept in the system keychain.'),
    open);
}

export function createSettings(shell, { views, autotaskDialog, onRestored, onServicesChanged }) {
  const root = document.querySelector('#view-settings');
  const parts = [
    createAdminsSection(shell),
    createTemplateSection(shell),
    createServicesSection(shell, { onServicesChanged: () => onServicesChanged && onServicesChanged() }),
    createDeletedSection(shell, { onRestored: (c) => onRestored && onRestored(c) }),
  ];
  const sections = [...parts.map((p) => p.section), autotaskSection(autotaskDialog)];
  const nav = el('nav', { class: 'settings-nav', 'aria-label': 'Settings sections' },
    ...sections.map((s) => {
      const heading = s.querySelector('h2');
      const link = el('a', { href: `#${s.id}` }, heading.textContent);
      link.addEventListener('click', (e) => {
        e.preventDefault();
        s.scrollIntoView({ block: 'start', behavior: 'smooth' });
        heading.focus({ preventScroll: true });
      });
      return link;
    }));
  const content = el('div', { class: 'view-scroll settings-content' }, ...sections);
  root.append(el('div', { class: 'settings' }, nav, content));

  views.onShow('settings', () => Promise.all(parts.map((p) => p.load())));
  return {};
}
