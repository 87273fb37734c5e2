// Autotask mapping statuses as the list and the edit dialog show them: a badge with the
// status's word and a tooltip saying what it means (the meanings come from the backend, once)
// and when the mapping was last checked.
import * as api from './api.js';

const meanings = new Map();
const LABELS = { ok: 'OK', renamed: 'Renamed', missing: 'Missing', invalid: 'Invalid' };
const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Loads the meanings; the badges show without tooltips until then. */
export function loadMeanings() {
  return api.mappingStatuses().then((list) => {
    for (const m of list) meanings.set(m.status, m.meaning);
  });
}

/** The badge's word for a status ("OK", "Renamed", …). */
export const statusLabel = (status) => LABELS[status] || status;

/** What a status means, as the backend words it ('' until loaded). */
export const statusMeaning = (status) => meanings.get(status) || '';

/** "checked 23 Nov 2026, 14:05" from the stored ISO time (UTC), or ''. */
export function checkedText(iso) {
  if (!iso) return '';
  const t = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso.replace(' ', 'T')}Z`);
  return Number.isNaN(t.getTime()) ? '' : `Last checked ${when.format(t)}`;
}

/** The tooltip of a mapping: the status's meaning, the company id and the last check. */
export function mappingTitle(m) {
  return [statusMeaning(m.status), `Autotask company id ${m.company_id}.`, checkedText(m.checked_at)]
    .filter(Boolean).join('\n');
}

/** `<span class="at-badge at-STATUS">` for mapping `m`. */
export function statusBadge(m) {
  const b = document.createElement('span');
  b.className = `at-badge at-${m.status}`;
  b.textContent = statusLabel(m.status);
  b.title = mappingTitle(m);
  return b;
}
