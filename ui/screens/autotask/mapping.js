// The edit dialog's "Autotask company" row: what the customer is mapped to (name, id, status
// badge, last check), "Map to Autotask company…" (search Companies by name, active only unless
// "Include inactive"; choose one), "Verify mapping" and "Clear mapping". Each action is saved at
// once and on its own — it never saves or discards what is typed in the dialog's other fields.
import * as api from '../../lib/api.js';
import { byId } from '../../lib/dom.js';
import { checkedText, mappingTitle, statusBadge, statusLabel, statusMeaning } from '../../lib/mapping-status.js';
import { waitText } from '../../lib/wait-text.js';

const SEARCH_DELAY_MS = 350;

/**
 * `customerId()` is the ID of the customer the dialog shows; `changed(customer)` tells the list
 * (the mapping is stored by then).
 */
export function createMappingSection({ customerId, changed }) {
  const { summary, find, verify, clear, searchBox: box, search, inactive, results, status } = byId('atm-');
  let mapping = null;
  let busy = false;
  let timer = 0;
  let asked = 0; // numbers the searches: only the latest one's answer is shown

  function say(message, kind = '') {
    status.textContent = message;
    status.className = `atm-status${kind ? ` ${kind}` : ''}`;
  }

  function show(m) {
    mapping = m || null;
    summary.replaceChildren();
    if (!mapping) {
      summary.textContent = 'Not mapped';
      summary.classList.add('muted');
      summary.title = '';
    } else {
      summary.classList.remove('muted');
      const name = document.createElement('span');
      name.className = 'atm-name';
      name.textContent = mapping.company_name;
      const id = document.createElement('span');
      id.className = 'atm-id';
      id.textContent = `#${mapping.company_id}`;
      summary.append(name, id, statusBadge(mapping));
      summary.title = mappingTitle(mapping);
    }
    find.textContent = mapping ? 'Change…' : 'Map to Autotask company…';
    verify.hidden = clear.hidden = !mapping;
  }

  function setBusy(on, message) {
    busy = on;
    for (const b of [find, verify, clear]) b.disabled = on;
    for (const b of results.querySelectorAll('button')) b.disabled = on;
    if (on) say(message, 'busy');
  }

  /** Runs one Autotask action; its error goes in the row's status line, whole. */
  async function act(message, work) {
    if (busy) return;
    setBusy(true, message);
    try {
      await work();
    } catch (err) {
      say(err.message, 'error');
    } finally {
      setBusy(false);
    }
  }

  // ---- search ------------------------------------------------------------------------------------
  function openSearch() {
    box.hidden = false;
    say(search.value.trim() ? status.textContent : 'Type part of the company’s name; ↓ moves to the results, Enter chooses.');
    search.focus();
    search.select();
  }

  function closeSearch() {
    clearTimeout(timer);
    asked += 1;
    box.hidden = true;
    results.replaceChildren();
    search.value = '';
    find.focus();
  }

  function resultButton(company) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'atm-result';
    b.setAttribute('role', 'listitem');
    b.dataset.companyId = String(company.id);
    const parts = [
      ['atm-r-name', company.name],
      ['atm-r-number', company.number ? `#${company.number}` : `id ${company.id}`],
      ['atm-r-city', company.city || ''],
      ['atm-r-active', company.active ? 'Active' : 'Inactive'],
    ];
    for (const [cls, text] of parts) {
      const span = document.createElement('span');
      span.className = cls;
      span.textContent = text;
      b.append(span);
    }
    if (!company.active) b.classList.add('inactive');
    b.setAttribute('aria-label', `${company.name}, ${company.number ? `number ${company.number}, ` : ''}${company.city ? `${company.city}, ` : ''}${company.active ? 'active' : 'inactive'}`);
    b.title = `Map to ${company.name} (Autotask id ${company.id})`;
    b.addEventListener('click', () => choose(company));
    return b;
  }

  async function runSearch() {
    clearTimeout(timer);
    const text = search.value.trim();
    const mine = ++asked;
    if (!text) {
      results.replaceChildren();
      say('Type part of the company’s name.');
      return;
    }
    say(`Searching Autotask for “${text}”…`, 'busy');
    try {
      const found = await api.autotaskCompanies(text, inactive.checked);
      if (mine !== asked) return;
      results.replaceChildren(...found.map(resultButton));
      const which = inactive.checked ? 'companies' : 'active companies';
      say(found.length
        ? `${found.length} ${which} match “${text}”. Choose one to map this customer to it.`
        : `No ${which} match “${text}”.${inactive.checked ? '' : ' Tick “Include inactive” to see inactive ones.'}`);
    } catch (err) {
      if (mine === asked) say(err.message, 'error');
    }
  }

  function choose(company) {
    const id = customerId();
    if (id == null) return;
    act(`Mapping to “${company.name}”…`, async () => {
      const saved = await api.autotaskMap(id, company.id);
      show(saved.autotask);
      closeSearch();
      say(saved.autotask && saved.autotask.status !== 'ok'
        ? `Mapped to “${company.name}”, which Autotask shows as inactive.`
        : `Mapped to “${company.name}” (Autotask id ${company.id}).`, 'ok');
      changed(saved);
    });
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(runSearch, SEARCH_DELAY_MS);
  });
  inactive.addEventListener('change', runSearch);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { // not the dialog's "Save and close"
      e.preventDefault();
      runSearch();
    } else if (e.key === 'ArrowDown') {
      const first = results.querySelector('button');
      if (first) { e.preventDefault(); first.focus(); }
    } else if (e.key === 'Escape') { // closes the search, not the dialog
      e.preventDefault();
      e.stopPropagation();
      closeSearch();
      say('');
    }
  });
  results.addEventListener('keydown', (e) => {
    const all = [...results.querySelectorAll('button')];
    const at = all.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && at < all.length - 1) { e.preventDefault(); all[at + 1].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); (at > 0 ? all[at - 1] : search).focus(); }
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); search.focus(); }
  });

  // ---- verify and clear --------------------------------------------------------------------------
  find.addEventListener('click', () => (box.hidden ? openSearch() : closeSearch()));
  verify.addEventListener('click', () => {
    const id = customerId();
    if (id == null || !mapping) return;
    act('Checking the mapping with Autotask…', async () => {
      const saved = await api.autotaskVerify(id);
      show(saved.autotask);
      const m = saved.autotask;
      say(`${statusLabel(m.status)}: ${statusMeaning(m.status)}`, m.status === 'ok' || m.status === 'renamed' ? 'ok' : 'error');
      changed(saved);
    });
  });
  clear.addEventListener('click', () => {
    const id = customerId();
    if (id == null || !mapping) return;
    const was = mapping;
    act('Clearing the mapping…', async () => {
      const saved = await api.autotaskUnmap(id);
      show(saved.autotask);
      say(`The mapping to “${was.company_name}” (Autotask id ${was.company_id}) was cleared.`);
      changed(saved);
      find.focus();
    });
  });

  document.addEventListener('autotask-wait', (e) => {
    if (busy || status.classList.contains('busy')) say(waitText(e.detail), 'busy');
  });

  return {
    /** Shows customer `c`'s mapping; the search starts closed. */
    show(c) {
      clearTimeout(timer);
      asked += 1;
      box.hidden = true;
      results.replaceChildren();
      search.value = '';
      say(c.autotask ? checkedText(c.autotask.checked_at) : '');
      show(c.autotask);
    },
    /** After the dialog saved: the stored mapping (the search stays as it is). */
    update(c) { show(c.autotask); },
  };
}
