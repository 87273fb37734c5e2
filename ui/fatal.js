// A classic script that runs before the ES modules: if a module fails to load or throws, the
// window says so in the banner instead of staying blank (a desktop window has no console).
window.addEventListener('error', (e) => {
  const banner = document.getElementById('banner');
  if (!banner) return;
  const where = e.filename ? ` (${e.filename.split('/').pop()}:${e.lineno})` : '';
  const what = e.message
    || (e.target && e.target.src ? `Could not load ${e.target.src.split('/').pop()}` : 'Unknown error');
  banner.textContent = `Something went wrong: ${what}${where}`;
  banner.hidden = false;
}, true);
