// The customer page's History tab: newest first, 50 at a time, "Show older" pages back from the
// last entry shown. Reloaded from the newest each time the tab is shown.
import * as api from '../../lib/api.js';
import { renderHistory } from '../../lib/history-text.js';

const $ = (sel) => document.querySelector(sel);
const PAGE = 50;

export function createHistoryTab(ctx) {
  const list = $('#cp-history');
  const more = $('#cp-history-more');
  let last = null; // the id of the oldest entry shown

  function show(entries, append) {
    renderHistory(list, entries, { append });
    if (entries.length) last = entries[entries.length - 1].id;
    more.hidden = entries.length < PAGE;
    $('#cp-history-empty').hidden = list.children.length > 0;
  }

  async function load() {
    const g = ctx.generation;
    const entries = await api.historyList(ctx.id, null, PAGE);
    if (!ctx.live(g)) return;
    last = null;
    show(entries, false);
  }

  function reset() {
    list.replaceChildren();
    more.hidden = true;
    $('#cp-history-empty').hidden = true;
    last = null;
  }

  more.addEventListener('click', async () => {
    const g = ctx.generation;
    more.disabled = true;
    try {
      const entries = await api.historyList(ctx.id, last, PAGE);
      if (!ctx.live(g)) return;
      const first = entries[0];
      show(entries, true);
      // The keyboard continues at the first older entry rather than at the (maybe hidden) button.
      if (first) {
        const li = list.querySelector(`li[data-id="${first.id}"]`);
        if (li) { li.tabIndex = -1; li.focus(); }
      }
    } catch (err) {
      await ctx.fail(err);
    } finally {
      more.disabled = false;
    }
  });

  return { load, reset };
}
