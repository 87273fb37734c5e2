// The customer page's Groups tab: one row per group with its permissions as checkboxes (a click
// saves), its members, and create / edit (name and permissions) / delete.
import * as api from '../../lib/api.js';
import { h, button, cellText, modalForm, removeRow } from '../../lib/form.js';

const $ = (sel) => document.querySelector(sel);

export function createGroupsTab(ctx) {
  const { shell } = ctx;
  const table = $('#cp-groups');
  let permissions = null; // [{name, label}], asked once
  let groups = [];
  let editing = null; // the group the dialog edits; null: it creates

  async function load() {
    const g = ctx.generation;
    const [perms, list] = await Promise.all([
      permissions ? Promise.resolve(permissions) : api.groupPermissions(),
      api.groupsList(ctx.id),
    ]);
    if (!ctx.live(g)) return;
    permissions = perms;
    groups = list;
    render();
  }

  function reset() {
    groups = [];
    table.tBodies[0].replaceChildren();
    $('#cp-groups-empty').hidden = true;
  }

  function render() {
    table.tHead.rows[0].replaceChildren(
      h('th', { scope: 'col' }, 'Group'),
      ...permissions.map((p) => h('th', { scope: 'col', className: 'center', title: p.name }, p.label)),
      h('th', { scope: 'col' }, 'Members'),
      h('th', { scope: 'col', className: 'actions' }, h('span', { className: 'visually-hidden' }, 'Actions')));
    table.tBodies[0].replaceChildren(...groups.map(row));
    $('#cp-groups-empty').hidden = groups.length > 0;
  }

  function row(group) {
    const cells = permissions.map((p) => {
      const box = h('input', {
        type: 'checkbox', checked: group.permissions.includes(p.name), 'aria-label': `${group.name}: ${p.label}`,
        'data-key': `perm:${p.name}`,
      });
      box.addEventListener('change', () => togglePermission(group, p.name, box));
      return h('td', { className: 'center' }, box);
    });
    return h('tr', { 'data-group': group.name },
      h('td', { className: 'cp-key' }, group.name),
      ...cells,
      h('td', { className: 'cp-members' }, cellText(group.members.join(', '))),
      h('td', { className: 'actions' },
        button('Edit…', () => openEdit(group), { title: 'Rename the group or change its permissions', 'data-key': 'edit' }),
        button('Delete', () => remove(group), { className: 'cp-delete', 'data-key': 'delete' })));
  }

  function replace(previousName, group) {
    const i = groups.findIndex((x) => x.name === previousName);
    if (i < 0) return;
    groups[i] = group;
    const old = table.tBodies[0].querySelector(`tr[data-group="${CSS.escape(previousName)}"]`);
    if (!old) return;
    const key = old.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    const fresh = row(group);
    old.replaceWith(fresh);
    if (key) fresh.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }

  /** The permissions in display order. */
  const ordered = (set) => permissions.map((p) => p.name).filter((n) => set.has(n));

  async function togglePermission(group, permission, box) {
    const set = new Set(group.permissions);
    if (box.checked) set.add(permission);
    else set.delete(permission);
    box.disabled = true;
    try {
      const saved = await api.groupUpdate(ctx.id, group.name, group.name, ordered(set));
      shell.clearUndo();
      replace(group.name, saved);
    } catch (err) {
      box.checked = !box.checked;
      box.disabled = false;
      await ctx.fail(err);
    }
  }

  async function remove(group) {
    const n = group.members.length;
    const who = n === 0 ? 'It has no members.'
      : n === 1 ? `Its member ${group.members[0]} loses it.`
      : `Its ${n} members lose it: ${group.members.join(', ')}.`;
    await removeRow(shell, ctx, {
      question: `Delete group “${group.name}”? ${who}`,
      verb: 'Delete',
      run: () => api.groupDelete(ctx.id, group.name),
      after: () => { groups = groups.filter((x) => x.name !== group.name); render(); },
      done: `Deleted group ${group.name}.`,
      focus: '#cp-group-add',
    });
  }

  // ---- the create / edit dialog ------------------------------------------------------------------
  const form = modalForm($('#cp-group-dialog'), { submit: save, gone: ctx.gone });
  const nameInput = form.form.elements.namedItem('name');

  function fill(selected) {
    $('#cp-g-perms').replaceChildren(...permissions.map((p) => h('label', { className: 'check' },
      h('input', { type: 'checkbox', name: 'perm', value: p.name, checked: selected.includes(p.name) }), p.label)));
  }

  function openAdd() {
    if (!permissions) return;
    editing = null;
    $('#cp-group-title').textContent = 'New group';
    $('#cp-group-submit').textContent = 'Create group';
    nameInput.value = '';
    fill([]);
    form.open(nameInput);
  }

  function openEdit(group) {
    editing = group.name;
    $('#cp-group-title').textContent = `Edit group ${group.name}`;
    $('#cp-group-submit').textContent = 'Save';
    nameInput.value = group.name;
    fill(group.permissions);
    form.open(nameInput);
    nameInput.select();
  }

  async function save(f) {
    const chosen = [...f.querySelectorAll('input[name="perm"]:checked')].map((b) => b.value);
    if (editing == null) {
      const group = await api.groupAdd(ctx.id, nameInput.value, chosen);
      shell.clearUndo();
      groups.push(group);
      groups.sort((a, b) => a.name.localeCompare(b.name));
      render();
      shell.toast(`Created group ${group.name}.`);
    } else {
      const group = await api.groupUpdate(ctx.id, editing, nameInput.value, chosen);
      shell.clearUndo();
      replace(editing, group);
      shell.toast(group.name === editing ? `Saved group ${group.name}.` : `Renamed group ${editing} to ${group.name}.`);
    }
    return true;
  }

  $('#cp-group-add').addEventListener('click', () => {
    if (permissions) openAdd();
    else api.groupPermissions().then((p) => { permissions = p; openAdd(); }, ctx.fail);
  });

  return { load, reset };
}
