//! Settings ▸ Services (the catalogue) and the customer page's Services tab.

use super::store_commands;
use clientbook::model::{CustomerService, Service};

store_commands! {
    fn services_catalogue() -> Vec<Service> => |s| s.services();
    /// Adds a service with its plans to the catalogue (Settings ▸ Services).
    fn service_add(name: String, plans: Vec<String>) -> Service => |s| s.add_service(&name, &plans);
    fn customer_services(customer_id: String) -> Vec<CustomerService> =>
        |s| s.customer_services(&customer_id);
    fn customer_service_set(customer_id: String, service: String, plan: String) -> CustomerService =>
        |s| s.set_customer_service(&customer_id, &service, &plan);
    fn customer_service_remove(customer_id: String, service: String) -> () =>
        |s| s.remove_customer_service(&customer_id, &service);
}
