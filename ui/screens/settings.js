// Settings: Administrators, Group template, Services, Deleted customers. (Being built.)
export function createSettings(shell, { views, autotaskDialog, onRestored }) {
  views.onShow('settings', () => { void autotaskDialog; void onRestored; });
  return {};
}
