//! `clientbook import` reading a file as the user says: --encoding, --delimiter, and what a dry
//! run prints of the rows as read.

use crate::common::{encoded, temp_db_with_file};
use crate::{assert_fails, clientbook, stdout};

#[test]
fn the_cli_takes_an_encoding_and_a_delimiter() {
    let text = "Name;City\nSzőke Kft;Győr\n";
    let (db, file) = temp_db_with_file("hu.csv", &encoded(encoding_rs::WINDOWS_1250, text));
    let path = file.to_str().unwrap();
    let args = [
        "import",
        path,
        "--encoding",
        "windows-1250",
        "--delimiter",
        ";",
    ];
    let out = clientbook(&db.path, &args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let printed = stdout(&out);
    assert!(
        printed.contains("(Windows-1250, semicolon delimited)"),
        "{printed}"
    );
    let list = clientbook(&db.path, &["list", "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
    assert!(
        rows.iter()
            .any(|r| r["name"] == "Szőke Kft" && r["city"] == "Győr"),
        "{rows:?}"
    );

    // A dry run shows the rows as read: here, in the wrong encoding.
    let dry = ["import", path, "--dry-run", "--encoding", "windows-1252"];
    let out = clientbook(&db.path, &dry);
    let printed = stdout(&out);
    assert!(
        printed.contains("\nRow 2 as read: Name: Szõke Kft | City: Gyõr\n"),
        "{printed}"
    );

    // A name it does not know is a usage error (exit 2) saying what to give; nothing is read.
    let out = clientbook(&db.path, &["import", path, "--encoding", "klingon"]);
    assert_fails(&out, 2, "'klingon' is not a text encoding");
    let out = clientbook(&db.path, &["import", path, "--delimiter", "ab"]);
    assert_fails(&out, 2, "'ab' is not a delimiter");
}

#[test]
fn a_cli_dry_run_shows_every_column_and_what_is_past_the_header() {
    let (db, file) = temp_db_with_file(
        "names.csv",
        b"Name,City,Comment\nAcme,,\"two\nlines\",Inc.\n",
    );
    let out = clientbook(&db.path, &["import", file.to_str().unwrap(), "--dry-run"]);
    let printed = stdout(&out);
    assert!(
        printed.contains(
            "\nRow 2 as read: Name: Acme | City:  | Comment: two⏎lines | past the header: Inc.\n"
        ),
        "{printed}"
    );
}
