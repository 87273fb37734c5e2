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
export const importPreview = (options, onProgress) => withProgress('import_preview', { options }, onProgress);
/** The import itself: the same report; a cancel rejects with kind "cancelled", nothing written. */
export const importRun = (options, onProgress) => withProgress('import_run', { options }, onProgress);
export const importCancel = () => invoke('import_cancel');
/** Forgets the chosen file. */
export const importClose = () => invoke('import_close');
/** Saves the last report's errors through the native save dialog; the file name, or null. */
export const importSaveErrors = () => invoke('import_save_errors');
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
