//! Plain data and the rules that validate it. No I/O lives here.

pub mod company;
pub mod country;
pub mod customer;
pub mod field;
pub mod group;
pub mod history;
pub mod import;
pub mod mapping;
pub mod service;
pub mod slug;
pub mod text;
pub mod timestamp;
pub mod url;
pub mod user;

pub use company::Company;
pub use customer::{Customer, CustomerFields, ValidCustomer, Validity};
pub use group::Group;
pub use history::{DeletedCustomer, HistoryEntry};
pub use import::RowError;
pub use mapping::{Mapping, MappingCheck, MappingStatus};
pub use service::{CustomerService, Job, JobFields, Service};
pub use user::{User, UserFields};
