//! The search box on arbitrary text: the parser, its FTS5 query and the in-order matcher, run
//! against an in-memory store whose customers also come from the input.
#![no_main]

#[path = "../checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    checks::search_query(data);
});
