// The customer page's Users tab: the MSP administrators (read-only, they reach every customer),
// then the customer's users with their groups as toggles, whether each can log in and why not,
// and the add / edit / password / activate / delete actions with their dialogs.
import * as api from '../../lib/api.js';
import { h, button, cellText, modalForm, removeRow } from '../../lib/form.js';

const $ = (sel) => document.querySelector(sel);

export function createUsersTab(ctx) {
  const { shell } = ctx;
  const tbody = $('#cp-users tbody');
  const userDialog = $('#cp-user-dialog');
  let groups = []; // the customer's group names
  let users = [];
  let editing = null; // the username the user dialog edits; null: it adds
  let passwordFor = null;

  // ---- the lists ---------------------------------------------------------------------------------
  async function load() {
    const g = ctx.generation;
    const id = ctx.id;
    const [admins, list, groupList] = await Promise.all([
      api.administrators(), api.usersList(id), api.groupsList(id),
    ]);
    if (!ctx.live(g)) return;
    renderAdmins(admins);
    groups = groupList.map((x) => x.name);
    users = list;
    render();
  }

  function reset() {
    $('#cp-admins').replaceChildren();
    $('#cp-admins-none').hidden = true;
    tbody.replaceChildren();
    $('#cp-users-empty').hidden = true;
    users = [];
  }

  function renderAdmins(admins) {
    $('#cp-admins').replaceChildren(...admins.map((a) => h('li', {},
      h('span', { className: 'cp-admin-name' }, a.name || a.email),
      a.email ? h('span', { className: 'cp-muted' }, a.email) : null)));
    $('#cp-admins-none').hidden = admins.length > 0;
  }

  function render() {
    tbody.replaceChildren(...users.map(row));
    $('#cp-users-empty').hidden = users.length > 0;
  }

  /** Re-draws one user's row, keeping the keyboard on the same control. */
  function replace(user) {
    const i = users.findIndex((u) => u.username === user.username);
    if (i < 0) return;
    users[i] = user;
    const old = tbody.querySelector(`tr[data-username="${CSS.escape(user.username)}"]`);
    if (!old) return;
    const key = document.activeElement && old.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    const fresh = row(user);
    old.replaceWith(fresh);
    if (key) fresh.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }

  function row(u) {
    const chips = h('div', { className: 'cp-chips', role: 'group', 'aria-label': `Groups of ${u.username}` },
      groups.length ? groups.map((g) => {
        const box = h('input', { type: 'checkbox', checked: u.groups.includes(g), 'data-key': `group:${g}` });
        box.addEventListener('change', () => setGroup(u, g, box));
        return h('label', { className: 'cp-chip', title: `Member of ${g}` }, box, g);
      }) : h('span', { className: 'cp-muted' }, 'no groups'));
    const login = u.can_log_in
      ? h('span', { className: 'cp-login yes' }, 'Can log in: yes')
      : h('span', { className: 'cp-login no' }, `Can log in: no — ${u.missing.join('; ')}`);
    const actions = h('td', { className: 'actions' },
      button('Edit…', () => openEdit(u), { 'data-key': 'edit', title: 'Display name, email, mobile' }),
      button('Password…', () => openPassword(u), { 'data-key': 'password', title: 'Set a new password' }),
      button(u.active ? 'Deactivate' : 'Activate', () => setActive(u), { 'data-key': 'active' }),
      button('Delete', () => remove(u), { 'data-key': 'delete', className: 'cp-delete' }));
    return h('tr', { 'data-username': u.username, className: u.active ? '' : 'inactive' },
      h('td', { className: 'cp-key' }, u.username),
      h('td', {}, cellText(u.display_name)),
      h('td', {}, cellText(u.email)),
      h('td', { className: 'cp-tel' }, cellText(u.mobile)),
      h('td', {}, chips),
      h('td', {}, u.active ? 'Yes' : 'No'),
      h('td', { className: 'cp-login-cell' }, login),
      actions);
  }

  // ---- row actions -------------------------------------------------------------------------------
  async function setGroup(u, group, box) {
    const member = box.checked;
    box.disabled = true;
    try {
      const user = await api.userSetGroup(u.username, group, member);
      shell.clearUndo();
      replace(user);
    } catch (err) {
      box.checked = !member;
      box.disabled = false;
      await ctx.fail(err);
    }
  }

  async function setActive(u) {
    try {
      const user = await api.userSetActive(u.username, !u.active);
      shell.clearUndo();
      replace(user);
      shell.toast(`${user.active ? 'Activated' : 'Deactivated'} user ${user.username}.`);
    } catch (err) {
      await ctx.fail(err);
    }
  }

  async function remove(u) {
    await removeRow(shell, ctx, {
      question: `Delete user “${u.username}”? Its group memberships go with it. This cannot be undone.`,
      verb: 'Delete',
      run: () => api.userDelete(u.username),
      after: () => { users = users.filter((x) => x.username !== u.username); render(); },
      done: `Deleted user ${u.username}.`,
      focus: '#cp-user-add',
    });
  }

  // ---- the add / edit dialog ---------------------------------------------------------------------
  const userForm = modalForm(userDialog, { submit: saveUser, gone: ctx.gone });
  const field = (name) => userForm.form.elements.namedItem(name);

  function showRows(row, on) {
    for (const el of userDialog.querySelectorAll(`[data-row="${row}"]`)) el.hidden = !on;
  }

  function openAdd() {
    editing = null;
    $('#cp-user-title').textContent = `Add a user to ${ctx.customer ? ctx.customer.name : 'this customer'}`;
    $('#cp-user-submit').textContent = 'Add user';
    for (const n of ['username', 'display_name', 'email', 'mobile', 'password', 'password2']) field(n).value = '';
    showRows('username', true);
    showRows('password', true);
    showRows('groups', groups.length > 0);
    $('#cp-u-groups').replaceChildren(...groups.map((g) => h('label', { className: 'check' },
      h('input', { type: 'checkbox', name: 'group', value: g }), g)));
    userForm.open(field('username'));
  }

  function openEdit(u) {
    editing = u.username;
    $('#cp-user-title').textContent = `Edit user ${u.username}`;
    $('#cp-user-submit').textContent = 'Save';
    field('display_name').value = u.display_name || '';
    field('email').value = u.email || '';
    field('mobile').value = u.mobile || '';
    showRows('username', false);
    showRows('password', false);
    showRows('groups', false);
    userForm.open(field('display_name'));
  }

  async function saveUser(form, errors) {
    const value = (n) => field(n).value;
    if (editing) {
      const user = await api.userUpdate(editing, {
        display_name: value('display_name'), mobile: value('mobile'), email: value('email'),
      });
      shell.clearUndo();
      replace(user);
      shell.toast(`Saved user ${user.username}.`);
      return true;
    }
    if (value('password') !== value('password2')) {
      errors.mark('password2', 'The two passwords differ.');
      field('password2').focus();
      return false;
    }
    const g = ctx.generation;
    const ticked = [...form.querySelectorAll('input[name="group"]:checked')].map((b) => b.value);
    let user = await api.userAdd(ctx.id, {
      username: value('username'),
      email: value('email') || null,
      display_name: value('display_name') || null,
      mobile: value('mobile') || null,
      password: value('password') || null,
    });
    shell.clearUndo();
    // The user exists now: a failing group is reported, and the dialog closes all the same (a
    // second submit would only hit "username taken").
    try {
      for (const group of ticked) user = await api.userSetGroup(user.username, group, true);
    } catch (err) {
      await ctx.fail(err);
    }
    shell.toast(`Added user ${user.username}.`);
    if (ctx.live(g)) await load().catch(ctx.fail);
    return true;
  }

  // ---- the password dialog -----------------------------------------------------------------------
  const passwordForm = modalForm($('#cp-password-dialog'), { submit: savePassword, gone: ctx.gone });
  const pfield = (name) => passwordForm.form.elements.namedItem(name);

  function openPassword(u) {
    passwordFor = u.username;
    $('#cp-password-title').textContent = `Set a new password for ${u.username}`;
    pfield('password').value = '';
    pfield('password2').value = '';
    passwordForm.open(pfield('password'));
  }

  async function savePassword(form, errors) {
    const password = pfield('password').value;
    if (!password) {
      errors.mark('password', 'Type the new password.');
      pfield('password').focus();
      return false;
    }
    if (password !== pfield('password2').value) {
      errors.mark('password2', 'The two passwords differ.');
      pfield('password2').focus();
      return false;
    }
    const user = await api.userSetPassword(passwordFor, password);
    shell.clearUndo();
    replace(user);
    shell.toast(`New password set for ${user.username}.`);
    return true;
  }

  $('#cp-user-add').addEventListener('click', openAdd);

  return { load, reset };
}
