//! CSV in and out: [`import`] reads any real-world customer list (see [`read`] for encodings,
//! delimiters and header names) and [`export`] writes one the importer reads back exactly.
//! [`escape`] keeps spreadsheet formulas inert in both directions.

pub mod escape;
pub mod export;
pub mod import;
pub mod read;
pub mod read_as;

pub use export::{export, write_error_report, ExportOptions};
pub use import::{import, ImportOptions, ImportReport, Phase, Progress, RowError};
pub use read_as::ReadAs;
