// The one file that talks to the Rust side. One function per Tauri command; errors arrive as
// {kind, message, field, fields}.

function invoke(cmd, args = {}) {
  const internals = window.__TAURI_INTERNALS__;
  if (!internals) {
    return Promise.reject({ kind: 'io', message: 'Clientbook must run inside its desktop window.' });
  }
  return internals.invoke(cmd, args);
}

export const appInfo = () => invoke('app_info');
export const countries = () => invoke('countries');
export const customersWindow = (query, start, limit) => invoke('customers_window', { query, start, limit });
export const customersTotal = (query) => invoke('customers_total', { query });
export const customerPosition = (query, customerId) => invoke('customer_position', { query, customerId });
export const customerGet = (customerId) => invoke('customer_get', { customerId });
export const customerSuggestId = (name) => invoke('customer_suggest_id', { name });
export const customerCreate = (fields) => invoke('customer_create', { fields });
export const customerUpdate = (customerId, fields) => invoke('customer_update', { customerId, fields });
export const customerSetActive = (customerId, active) => invoke('customer_set_active', { customerId, active });
export const customerDelete = (customerId) => invoke('customer_delete', { customerId });
export const customerRestore = (customer) => invoke('customer_restore', { customer });
