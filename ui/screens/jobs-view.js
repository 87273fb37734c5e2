// The Jobs view: every backup job of active customers. (Being built.)
export function createJobsView(shell, { views, openCustomer }) {
  views.onShow('jobs', () => { void openCustomer; });
  return {};
}
