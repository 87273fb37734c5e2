// The one file that talks to the Rust side: one exported function per Tauri command.
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

function invoke(cmd, args = {}) {
  const internals = window.__TAURI_INTERNALS__;
  if (!internals || typeof internals.invoke !== 'function') {
    return Promise.reject(normalise({
      kind: 'io', message: 'Clientbook must run inside its desktop window (no Tauri IPC found).',
    }));
  }
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
