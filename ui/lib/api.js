// The one file that talks to the Rust side: one exported function per Tauri command, the
// progress channels of long commands, and the events the window receives (menu, file drops).
// Nothing else touches `window.__TAURI_INTERNALS__`.
//
// Every failure rejects with `{kind, message, field, fields}`. The backend's own errors already
// have that shape; anything else (a string from Tauri's IPC layer, e.g. an argument that did not
// deserialise) is wrapped so the screens can always show `err.message`.

function normalise(err) {
  if (err && typeof err === 'object' && typeof err.message === 'string') {
    return {
      kind: err.kind || 'error',
      message: err.message,
      field: err.field ?? null,
      fields: Array.isArray(err.fields) ? err.fields : null,
    };
  }
  return { kind: 'error', message: String(err), field: null, fields: null };
}

const NO_IPC = 'Clientbook must run inside its desktop window (no Tauri IPC found).';

function tauri() {
  const internals = window.__TAURI_INTERNALS__;
  return internals && typeof internals.invoke === 'function' ? internals : null;
}

function invoke(cmd, args = {}) {
  const internals = tauri();
  if (!internals) return Promise.reject(normalise({ kind: 'io', message: NO_IPC }));
  try {
    return Promise.resolve(internals.invoke(cmd, args)).catch((err) => { throw normalise(err); });
  } catch (err) {
    return Promise.reject(normalise(err));
  }
}

/** `{database_path, database_name, schema_version, open_error}` */
export const appInfo = () => invoke('app_info');
/** `[{code, name}]`, sorted by name. */
export const countries = () => invoke('countries');
/** `{start, total|null, rows}`; the backend caps `limit` at 1000. */
export const customersWindow = (query, start, limit) => invoke('customers_window', { query, start, limit });
export const customersTotal = (query) => invoke('customers_total', { query });
/** The row's position in the list of `query`, or null when that list does not show it. */
export const customerPosition = (query, customerId) => invoke('customer_position', { query, customerId });
export const customerGet = (customerId) => invoke('customer_get', { customerId });
export const customerSuggestId = (name) => invoke('customer_suggest_id', { name });
export const customerCreate = (fields) => invoke('customer_create', { fields });
export const customerUpdate = (customerId, fields) => invoke('customer_update', { customerId, fields });
export const customerSetActive = (customerId, active) => invoke('customer_set_active', { customerId, active });
/** Resolves with the deleted customer, which customerRestore takes back. */
export const customerDelete = (customerId) => invoke('customer_delete', { customerId });
export const customerRestore = (customer) => invoke('customer_restore', { customer });

// ---- progress channels ----------------------------------------------------------------------------
/**
 * A `tauri::ipc::Channel` argument: what @tauri-apps/api's `Channel` does (tauri 2.x), minus the
 * class. Rust numbers each message (`{message, index}`) and says `{end: true, index}` when it
 * drops the channel; messages that overtake one another are held back, so `onMessage` sees them
 * in the order they were sent. Serialises as `__CHANNEL__:<callback id>`.
 */
function channel(onMessage) {
  const internals = tauri();
  if (!internals) return null;
  let next = 0;
  let last = null; // index of the end marker, once it has arrived
  const early = new Map();
  const deliver = (m) => {
    try { onMessage(m); } catch (err) { queueMicrotask(() => { throw err; }); }
  };
  const id = internals.transformCallback((data) => {
    if (!data || typeof data !== 'object' || !('index' in data)) { deliver(data); return; } // pre-2.1
    if ('end' in data) {
      if (data.index === next) internals.unregisterCallback?.(id);
      else last = data.index;
      return;
    }
    if (data.index !== next) { early.set(data.index, data.message); return; }
    deliver(data.message);
    next += 1;
    while (early.has(next)) {
      deliver(early.get(next));
      early.delete(next);
      next += 1;
    }
    if (next === last) internals.unregisterCallback?.(id);
  });
  return `__CHANNEL__:${id}`;
}

function withProgress(cmd, args, onProgress) {
  const progress = channel(onProgress);
  if (!progress) return Promise.reject(normalise({ kind: 'io', message: NO_IPC }));
  return invoke(cmd, { ...args, progress });
}

// ---- events ---------------------------------------------------------------------------------------
/**
 * Calls `handler(payload)` for each event `name` emitted to this window (as @tauri-apps/api's
 * `listen` with target Any). Resolves once listening; the app listens for its whole life.
 */
export function listen(name, handler) {
  const internals = tauri();
  if (!internals) return Promise.reject(normalise({ kind: 'io', message: NO_IPC }));
  const callback = internals.transformCallback((event) => handler(event ? event.payload : undefined));
  return invoke('plugin:event|listen', { event: name, target: { kind: 'Any' }, handler: callback });
}

// ---- import and export ----------------------------------------------------------------------------
// The page never sees a path: the backend keeps the file chosen in its open dialog or dropped on
// the window, and the page names it (`file`) only so a file dropped meanwhile is never imported
// unseen.

/** The native open dialog; `{name, size}` of the chosen file, or null when cancelled. */
export const importPick = () => invoke('import_pick');
/**
 * What importing the chosen file would do, writing nothing: an ImportReport. `options` is
 * `{file, update, strict}`; `onProgress({phase, rows, bytes, total_bytes})` a few times a second.
 */
export const importPreview = (options, onProgress) => withProgress('import_file', { options, dryRun: true }, onProgress);
/** The import itself: the same report; a cancel rejects with kind "cancelled", nothing written. */
export const importRun = (options, onProgress) => withProgress('import_file', { options, dryRun: false }, onProgress);
export const importCancel = () => invoke('import_cancel');
/** Forgets the chosen file. */
export const importClose = () => invoke('import_close');
/** Saves the last report's errors through the native save dialog; the file name, or null. */
export const importSaveErrors = () => invoke('import_save_errors');
/**
 * Takes back the last import (the Undo of its summary toast): `{removed, restored}`. Refused
 * with a sentence once anything was written after it.
 */
export const importUndo = (token) => invoke('import_undo', { token });
/** Exports the list of `query` through the native save dialog; `{name, count}`, or null. */
export const exportCustomers = (query, bom) => invoke('export_customers', { query, bom });

// ---- Autotask -------------------------------------------------------------------------------------
// Only the user name ever comes back; the secret and the integration code go one way.

/** `{source: 'environment'|'keychain'|null, username|null}` */
export const autotaskStatus = () => invoke('autotask_status');
/** Saves the three values in the OS keychain; rejects with `field` set when one is empty. */
export const autotaskSave = (username, secret, integrationCode) => invoke('autotask_save', { username, secret, integrationCode });
/** Deletes the saved credentials; false when none were saved. */
export const autotaskForget = () => invoke('autotask_forget');
/** `{name, url, web_url}` of the user's zone; a wrong value rejects with kind "credentials" and its `field`. */
export const autotaskTest = () => invoke('autotask_test');
/** `[{id, name, number, city, active}]` */
export const autotaskCompanies = (search, includeInactive) => invoke('autotask_companies', { search, includeInactive });
/** `[{status, meaning}]`: what each mapping status means, for the badges' tooltips. */
export const mappingStatuses = () => invoke('mapping_statuses');
/** Maps the customer after Autotask confirms the company exists; resolves with the customer. */
export const autotaskMap = (customerId, companyId) => invoke('autotask_map', { customerId, companyId });
/** Clears the mapping (works offline); resolves with the customer. */
export const autotaskUnmap = (customerId) => invoke('autotask_unmap', { customerId });
/** Re-checks one mapping; resolves with the customer (status, cached name, checked time). */
export const autotaskVerify = (customerId) => invoke('autotask_verify', { customerId });
/**
 * Re-checks every mapping in batches; `onProgress({done, total})` counts company ids. Resolves
 * with `{checked, ok, renamed, missing, invalid}`; a cancel rejects with kind "cancelled".
 */
export const autotaskRefreshAll = (onProgress) => withProgress('autotask_refresh_all', {}, onProgress);
export const autotaskCancel = () => invoke('autotask_cancel');
/**
 * Active Autotask companies of type Customer not mapped yet become mapped customers (one
 * transaction); `dryRun` only reports. `{companies, inserted, skipped, already_mapped, errors,
 * created: [{customer_id, company_id, company_name}], dry_run}`.
 */
export const autotaskPull = (dryRun) => invoke('autotask_pull', { dryRun });

// ---- inside a customer: users, groups, services, jobs, history; copy; settings ----------------------
// Shapes: User `{username, email, display_name, mobile (E.164), active, has_password, groups: [name],
// can_log_in, missing: [reason]}`; Group `{name, permissions: [perm], members: [username]}`;
// Service `{name, plans: [name]}`; CustomerService `{service, plan}`; Job `{customer_id,
// customer_name, name, service, schedule, active}`; HistoryEntry `{id, entity, entity_id, action,
// before, after, at}`. Validation failures reject with `fields: [{field, message}]`.

/** `[{name, label}]`: the permissions a group can hold, in display order. */
export const groupPermissions = () => invoke('group_permissions');

export const usersList = (customerId) => invoke('users_list', { customerId });
/** `fields`: `{username, email, display_name, mobile, password}` (empty strings for none). */
export const userAdd = (customerId, fields) => invoke('user_add', { customerId, fields });
/** Display name, mobile and email only; the username and password are not changed here. */
export const userUpdate = (username, fields) => invoke('user_update', { username, fields });
export const userSetPassword = (username, password) => invoke('user_set_password', { username, password });
export const userSetActive = (username, active) => invoke('user_set_active', { username, active });
export const userDelete = (username) => invoke('user_delete', { username });
/** Adds the user to `group` (member true) or removes it; resolves with the user. */
export const userSetGroup = (username, group, member) => invoke('user_set_group', { username, group, member });

export const groupsList = (customerId) => invoke('groups_list', { customerId });
export const groupAdd = (customerId, name, permissions) => invoke('group_add', { customerId, name, permissions });
/** Renames `group` to `name` and sets its permissions. */
export const groupUpdate = (customerId, group, name, permissions) => invoke('group_update', { customerId, group, name, permissions });
export const groupDelete = (customerId, group) => invoke('group_delete', { customerId, group });

/** The catalogue: `[{name, plans}]`, by name. */
export const servicesCatalogue = () => invoke('services_catalogue');
/** Adds a service with its plans (at least one) to the catalogue. */
export const serviceAdd = (name, plans) => invoke('service_add', { name, plans });
export const customerServices = (customerId) => invoke('customer_services', { customerId });
/** Gives the customer `service` with `plan`, or changes its plan. */
export const customerServiceSet = (customerId, service, plan) => invoke('customer_service_set', { customerId, service, plan });
export const customerServiceRemove = (customerId, service) => invoke('customer_service_remove', { customerId, service });

export const jobsOfCustomer = (customerId) => invoke('jobs_of_customer', { customerId });
/** The Jobs view: jobs of active customers only; `service` (a name) or null for all. */
export const jobsView = (service) => invoke('jobs_view', { service });
/** `fields`: `{name, service, schedule, active}`. */
export const jobAdd = (customerId, fields) => invoke('job_add', { customerId, fields });
export const jobUpdate = (customerId, job, fields) => invoke('job_update', { customerId, job, fields });
export const jobDelete = (customerId, job) => invoke('job_delete', { customerId, job });

/**
 * Copies a customer: `options` `{name, customer_id (or null: derived), profile, services, groups}`.
 * Users, jobs and the mapping are never copied. Resolves with the new customer.
 */
export const customerCopy = (sourceId, options) => invoke('customer_copy', { sourceId, options });

/** Newest first; `before` (an entry id) pages further back. */
export const historyList = (customerId, before, limit) => invoke('history_list', { customerId, before, limit });
/** `[{entry, customer_id, name, deleted_at}]`, newest first. */
export const deletedCustomers = () => invoke('deleted_customers');
export const deletedHistory = (entry) => invoke('deleted_history', { entry });
/** Brings a deleted customer back (with its history); resolves with the customer. */
export const deletedRestore = (entry) => invoke('deleted_restore', { entry });

/** `[{name, email}]` */
export const administrators = () => invoke('administrators');
export const administratorAdd = (name, email) => invoke('administrator_add', { name, email });
export const administratorDelete = (email) => invoke('administrator_delete', { email });
/** `[{name, permissions}]`: the groups every new customer starts with. */
export const templateGroups = () => invoke('template_groups');
export const templateGroupsSet = (groups) => invoke('template_groups_set', { groups });

// ---- the database file (File menu) -------------------------------------------------------------------
// Each resolves `{name}` (null when the dialog was cancelled); after a switch or a close the page
// reloads, so every screen starts on the new database. Paths never come from the page.

/** File ▸ New database…: the native save dialog, then a new empty file. */
export const dbNew = () => invoke('db_new');
/** File ▸ Open database…: the native open dialog; a file that is not Clientbook's is refused unchanged. */
export const dbOpen = () => invoke('db_open');
/** File ▸ Open recent: entry `index` of dbRecent(). */
export const dbOpenRecent = (index) => invoke('db_open_recent', { index });
/** Opens the database file dropped on the window. */
export const dbOpenDropped = () => invoke('db_open_dropped');
/** File ▸ Save a copy…: a consistent copy while the app keeps working. */
export const dbSaveCopy = () => invoke('db_save_copy');
/** File ▸ Close database. */
export const dbClose = () => invoke('db_close');
/** `[{name, path, exists}]`, newest first (at most 8). */
export const dbRecent = () => invoke('db_recent');
/** A number that changes when another window or the CLI writes to the open database; null while this window writes. */
export const dbOutsideVersion = () => invoke('db_outside_version');
