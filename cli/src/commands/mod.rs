//! One module per noun of the command line; each command is a few lines: arguments in, one core
//! call, the result printed.

pub mod autotask;
pub mod bench;
pub mod customers;
pub mod db;
pub mod groups;
pub mod jobs;
pub mod services;
pub mod transfer;
pub mod users;
