//! Reading the CSV files people actually have: any common encoding, any of four delimiters,
//! any line ending, headers named the way spreadsheets and other tools name them. The file is
//! streamed — memory does not grow with its size.

mod columns;
mod encoding;
mod layout;
mod rows;
mod source;
mod streams;
#[cfg(test)]
mod tests;
mod values;

pub use columns::{has, header_in, header_of, Column, Field};
pub use layout::delimiter_label;
pub use source::{CsvSource, ExampleRow, SourceRow};
pub use streams::MAX_ROW;
pub use values::{is_mark, is_placeholder, parse_flag, reads_as_value, says_active};

// What the files of this module share with each other (each has `use super::*`).
use columns::*;
use encoding::*;
use layout::*;
use source::*;
use streams::*;

use super::escape::unescape;
use super::read_as::{can_delimit, ReadAs};
use crate::error::{Error, Result};
use crate::files;
use crate::model::text::fold;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
