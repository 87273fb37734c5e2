// Copy a customer: new name (ID derived), what to copy. (Being built.)
export function createCopyDialog(shell, { onCopied }) {
  return {
    /** Opens the dialog for `customer` (a listing or a full customer). */
    open(customer) { void customer; void onCopied; },
  };
}
