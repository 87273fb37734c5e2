//! Every input kept from the fuzzers (`fuzz/`, see README ▸ Development) — the crashes they found
//! and the seed corpora — runs through exactly the checks the fuzz targets run (`fuzz/checks.rs`,
//! included below), so a fixed crash stays fixed. Add a crash input to
//! `tests/fixtures/fuzz/<target>/` and it is tested here.

#[path = "../../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

#[test]
fn csv_import_inputs_import_or_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in inputs("csv_import") {
        let data = std::fs::read(&file).expect("read fixture");
        match checks::csv_import(dir.path(), &data) {
            Ok(report) => assert!(
                report.rows_read >= report.inserted,
                "{}: {report:?}",
                file.display()
            ),
            Err(message) => assert!(
                message.len() > checks::CSV_NAME.len() + 10,
                "{}: unclear refusal {message:?}",
                file.display()
            ),
        }
    }
}

#[test]
fn the_seed_files_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in inputs("csv_import")
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "csv"))
    {
        let report = checks::csv_import(dir.path(), &std::fs::read(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // Two rows each; a street with a line break is the one row error expected.
        assert_eq!(report.rows_read, 2, "{}: {report:?}", file.display());
        assert!(report.inserted >= 1, "{}: {report:?}", file.display());
    }
}

#[test]
fn search_query_inputs_never_fail_and_every_plan_agrees() {
    for file in inputs("search_query") {
        let data = std::fs::read(&file).expect("read fixture");
        checks::search_query(&data);
    }
}
