//! `clientbook bench`: the performance benchmark (`crate::bench`) on a new database — the one
//! `--db` names (it must not exist), else one in a temporary folder removed at the end.

use crate::cli::BenchArgs;
use clientbook::Error;
use std::io::Write;
use std::path::PathBuf;

pub fn run(db: Option<PathBuf>, args: BenchArgs, out: &mut impl Write) -> Result<(), Error> {
    let temp;
    let path = match db {
        Some(db) => db,
        None => {
            temp = tempfile::Builder::new()
                .prefix("clientbook-bench-")
                .tempdir()
                .map_err(|source| Error::Io {
                    action: "create a temporary folder in",
                    path: std::env::temp_dir(),
                    source,
                })?;
            temp.path().join("clientbook-bench.clientbook")
        }
    };
    crate::bench::run(&path, args.customers, out)
}
