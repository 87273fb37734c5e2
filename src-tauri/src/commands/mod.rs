//! Tauri commands, one module per screen. Each is a few lines: arguments in, one core call,
//! the result (or a `{kind, message, field?}` error) out.

pub mod autotask;
pub mod customers;
pub mod database;
pub mod people;
pub mod transfer;
