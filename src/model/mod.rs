//! Plain data and the rules that validate it. No I/O lives here.

pub mod country;
pub mod customer;
pub mod mapping;
pub mod slug;
pub mod text;

pub use customer::{Customer, CustomerFields, ValidCustomer, Validity};
pub use mapping::{Mapping, MappingCheck, MappingStatus};
