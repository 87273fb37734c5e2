// How history entries read: one list item per entry — when, what happened to what, and each
// changed value as "before → after". Used by a customer's History tab and by Settings ▸ Deleted
// customers.
const ENTITY = { customer: 'Customer', user: 'User', group: 'Group', service: 'Service', job: 'Job', mapping: 'Autotask mapping' };
const ACTION = {
  create: 'created', edit: 'changed', delete: 'deleted', restore: 'restored', import: 'imported',
  copy: 'copied', map: 'mapped', unmap: 'unmapped', check: 'checked', 'set-password': 'password set',
  activate: 'activated', deactivate: 'deactivated', 'add-to-group': 'added to a group',
  'remove-from-group': 'removed from a group', pull: 'created from Autotask',
};
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const show = (v) => {
  if (v == null || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** `[[key, before, after]]`: the values that differ (all of them for a create or a delete). */
export function changes(entry) {
  const before = entry.before && typeof entry.before === 'object' ? entry.before : {};
  const after = entry.after && typeof entry.after === 'object' ? entry.after : {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .map((k) => [k, before[k], after[k]]);
}

/** "User jdoe created" */
export function headline(entry) {
  const what = ENTITY[entry.entity] || entry.entity;
  const action = ACTION[entry.action] || entry.action;
  return `${what} ${entry.entity_id} ${action}`;
}

function item(entry) {
  const li = document.createElement('li');
  li.className = 'history-entry';
  li.dataset.id = entry.id;
  const head = document.createElement('div');
  head.className = 'history-head';
  const time = document.createElement('time');
  time.dateTime = entry.at;
  const at = new Date(entry.at);
  time.textContent = Number.isNaN(at.getTime()) ? entry.at : when.format(at);
  const what = document.createElement('span');
  what.className = 'history-what';
  what.textContent = headline(entry);
  head.append(time, what);
  li.append(head);
  const diff = changes(entry);
  if (diff.length) {
    const dl = document.createElement('dl');
    dl.className = 'history-changes';
    for (const [key, b, a] of diff) {
      const dt = document.createElement('dt');
      dt.textContent = key.replaceAll('_', ' ');
      const dd = document.createElement('dd');
      dd.textContent = entry.before == null ? show(a) : entry.after == null ? show(b) : `${show(b)} → ${show(a)}`;
      dl.append(dt, dd);
    }
    li.append(dl);
  }
  return li;
}

/** Fills (or, with `append`, extends) the list `ol` with `entries`, newest first as given. */
export function renderHistory(ol, entries, { append = false } = {}) {
  if (!append) ol.replaceChildren();
  ol.append(...entries.map(item));
}
