// One customer's page: tabs Profile, Users, Groups, Services, Jobs, History. (Being built.)
export function createCustomerPage(shell, { views, dialog, copyDialog, countryName, screen }) {
  return {
    /** Shows the page of `customerId` at `tab` ('profile' by default). */
    async open(customerId, tab = 'profile') { void customerId; void tab; views.show('customer'); },
    /** The edit dialog saved a customer (its ID may have changed). */
    afterEdit(saved, previousId) { void saved; void previousId; },
    /** Back to the list (Esc / Back). */
    close() { views.show('customers'); screen.focusGrid(); },
  };
}
