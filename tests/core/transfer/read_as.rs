//! Reading a file the way the user says: an encoding and a delimiter chosen in the import
//! dialog (or given to the CLI) in place of the detected ones — for the files detection cannot
//! tell, and the error report reading the rows again the same way.

use crate::common::{encoded, temp_store, write};
use clientbook::store::ListQuery;
use clientbook::transfer::{self, ImportOptions, ImportReport, ReadAs};
use clientbook::{Error, Store};
use std::path::Path;

fn run(store: &Store, path: &Path, read_as: ReadAs) -> clientbook::Result<ImportReport> {
    let options = ImportOptions {
        read_as,
        ..Default::default()
    };
    transfer::import(store, path, options, &mut |_| true)
}

/// The preview (a dry run) of `path` read as `read_as`.
fn preview(store: &Store, path: &Path, read_as: ReadAs) -> ImportReport {
    let options = ImportOptions {
        dry_run: true,
        read_as,
        ..Default::default()
    };
    transfer::import(store, path, options, &mut |_| true).unwrap()
}

/// Every customer but the own company: (name, city).
fn imported(store: &Store) -> Vec<(String, String)> {
    let mut out = Vec::new();
    store
        .scan(&ListQuery::default(), |c| {
            if !c.own {
                out.push((c.name.clone(), c.city.clone().unwrap_or_default()));
            }
            Ok(())
        })
        .unwrap();
    out.sort();
    out
}

#[test]
fn a_chosen_encoding_reads_every_value_in_it() {
    let (db, store) = temp_store();
    // Hungarian in Windows-1250: "ő" is 0xF5, "õ" in Windows-1252. A file this short leaves
    // detection a guess (this one is guessed Windows-1252); the user's choice is not one.
    let text = "Name,City\nSzőke Kft,Győr\nŐrség Bt,Pécs\n";
    let file = write(&db, "hu.csv", &encoded(encoding_rs::WINDOWS_1250, text));
    let chosen = ReadAs::named(Some("windows-1250"), None).unwrap();
    let report = run(&store, &file, chosen).unwrap();
    assert_eq!(report.encoding, "Windows-1250");
    assert_eq!((report.inserted, report.skipped), (2, 0), "{report:?}");
    assert_eq!(
        imported(&store),
        [
            ("Szőke Kft".to_owned(), "Győr".to_owned()),
            ("Őrség Bt".to_owned(), "Pécs".to_owned())
        ]
    );

    // Mac Roman, which is never detected (this file is guessed Windows-1250): "ü" is 0x9F.
    let file = write(
        &db,
        "mac.csv",
        &encoded(encoding_rs::MACINTOSH, "Name,City\nMüller GmbH,Zürich\n"),
    );
    let report = run(
        &store,
        &file,
        ReadAs::named(Some("macintosh"), None).unwrap(),
    )
    .unwrap();
    assert_eq!(report.inserted, 1, "{report:?}");
    assert!(imported(&store).contains(&("Müller GmbH".to_owned(), "Zürich".to_owned())));
}

#[test]
fn a_chosen_encoding_drops_the_files_byte_order_mark() {
    let (db, store) = temp_store();
    // UTF-8 with BOM read as UTF-8: the BOM is no part of the header.
    let file = write(&db, "bom.csv", b"\xEF\xBB\xBFName,City\nAcme,Berlin\n");
    let report = run(&store, &file, ReadAs::named(Some("UTF-8"), None).unwrap()).unwrap();
    assert_eq!(report.encoding, "UTF-8 with BOM");
    assert_eq!(report.columns[0].header, "Name");
    assert_eq!(report.inserted, 1);

    // UTF-16 chosen for a file with the other byte order's mark: the mark is still not text.
    let mut le = vec![0xFF, 0xFE];
    for unit in "Name\r\nBeta\r\n".encode_utf16() {
        le.extend_from_slice(&unit.to_le_bytes());
    }
    let file = write(&db, "le.csv", &le);
    let report = run(
        &store,
        &file,
        ReadAs::named(Some("UTF-16LE"), None).unwrap(),
    )
    .unwrap();
    assert_eq!(report.encoding, "UTF-16LE");
    assert_eq!(report.inserted, 1, "{report:?}");
}

#[test]
fn a_chosen_delimiter_reads_a_list_whose_names_hold_commas() {
    let (db, store) = temp_store();
    // One column of names, some with a comma and unquoted, as a hand-made list often is.
    let file = write(&db, "names.csv", b"Name\nAcme, Inc.\nBeta Ltd\n");

    // Detected: commas; the comma names are two values under a one-column header.
    let report = preview(&store, &file, ReadAs::default());
    assert_eq!(report.delimiter, "comma");
    assert_eq!((report.inserted, report.invalid), (1, 1), "{report:?}");
    assert_eq!(
        report.errors[0].to_string(),
        "Row 2: 2 values, but the header has 1 column; check for an unquoted delimiter in a \
         value."
    );

    // Semicolons chosen: every line is one name.
    let report = run(&store, &file, ReadAs::named(None, Some(";")).unwrap()).unwrap();
    assert_eq!(report.delimiter, "semicolon");
    assert_eq!((report.inserted, report.skipped), (2, 0), "{report:?}");
    let names: Vec<String> = imported(&store).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Acme, Inc.", "Beta Ltd"]);
}

#[test]
fn a_chosen_delimiter_wins_over_a_sep_line() {
    let (db, store) = temp_store();
    // Excel's `sep=` line names a semicolon, but the file was saved with tabs.
    let file = write(&db, "sep.csv", b"sep=;\nName\tCity\nAcme\tBerlin\n");
    let report = run(&store, &file, ReadAs::named(None, Some("tab")).unwrap()).unwrap();
    assert_eq!(report.delimiter, "tab");
    assert_eq!(report.inserted, 1, "{report:?}");
    assert_eq!(imported(&store), [("Acme".to_owned(), "Berlin".to_owned())]);
}

#[test]
fn nul_bytes_refuse_a_chosen_encoding_unless_the_file_is_utf16() {
    let (db, store) = temp_store();
    let latin = ReadAs::named(Some("windows-1252"), None).unwrap();
    let file = write(&db, "bin.csv", b"\x89PNG\0\0\0\x0d\x01\x02");
    assert_eq!(
        run(&store, &file, latin).unwrap_err().to_string(),
        "'bin.csv' is not a text file (it contains binary data); choose a CSV file."
    );
    // UTF-16 (with its mark, or without) read as something else: which to choose instead.
    let mut le = vec![0xFF, 0xFE];
    let mut bare = Vec::new();
    for unit in "Name\r\nAcme\r\n".encode_utf16() {
        le.extend_from_slice(&unit.to_le_bytes());
        bare.extend_from_slice(&unit.to_be_bytes());
    }
    let file = write(&db, "le.csv", &le);
    assert_eq!(
        run(&store, &file, latin).unwrap_err().to_string(),
        "'le.csv' is UTF-16LE text, not Windows-1252: choose UTF-16LE or Detect."
    );
    let file = write(&db, "be.csv", &bare);
    let utf8 = ReadAs::named(Some("utf-8"), None).unwrap();
    assert_eq!(
        run(&store, &file, utf8).unwrap_err().to_string(),
        "'be.csv' is UTF-16BE text, not UTF-8: choose UTF-16BE or Detect."
    );
    assert!(imported(&store).is_empty());
}

/// Refused as read the way the user chose, the message says so, and what to do.
#[test]
fn a_refusal_after_a_choice_names_the_choice() {
    let (db, store) = temp_store();
    let file = write(&db, "comma.csv", b"Name,City\nAcme,Berlin\n");
    let err = run(&store, &file, ReadAs::named(None, Some(";")).unwrap()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'comma.csv' has no name column, so no customer can be read from it. Columns found: \
         'Name,City'. Head the column of customer names \"Name\". It was read as UTF-8 with \
         values separated by semicolons, as chosen: if these are not the file's columns, choose \
         another encoding or delimiter, or Detect."
    );
    let file = write(&db, "latin.csv", b"Stra\xdfe,Name\nHauptstr,Acme\n");
    let err = run(&store, &file, ReadAs::named(Some("utf-8"), None).unwrap()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'latin.csv' has bytes that are not UTF-8 text in its header row, so its columns cannot \
         be told; choose another encoding, or Detect."
    );
}

/// The error report reads the problem rows again: in the encoding and with the delimiter the
/// import used, or its values would be garbled or split.
#[test]
fn the_error_report_reads_the_rows_again_as_the_import_did() {
    let (db, store) = temp_store();
    let text = "Name;City;Country\nSzőke Kft;Győr;HU\nŐrség Bt;Pécs;Atlantis\n";
    let file = write(&db, "hu.csv", &encoded(encoding_rs::WINDOWS_1250, text));
    let chosen = ReadAs::named(Some("windows-1250"), Some("semicolon")).unwrap();
    let report = run(&store, &file, chosen).unwrap();
    assert_eq!((report.inserted, report.invalid), (1, 1), "{report:?}");
    let out = db.dir.path().join("errors.csv");
    transfer::write_error_report(&out, &report, None).unwrap();
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        written.trim_start_matches('\u{feff}'),
        "Row,Column,Message,Name,City,Country\n\
         3,Country,'Atlantis' is not a country.,Őrség Bt,Pécs,Atlantis\n"
    );
}

#[test]
fn unknown_names_are_refused_before_the_file_is_read() {
    let err = ReadAs::named(Some("EBCDIC-ish"), None).unwrap_err();
    assert!(matches!(err, Error::Refused(_)));
    assert!(err
        .to_string()
        .starts_with("'EBCDIC-ish' is not a text encoding"));
    let err = ReadAs::named(None, Some("spaces")).unwrap_err();
    assert!(err.to_string().starts_with("'spaces' is not a delimiter"));
}

/// The preview shows rows as read, so that a wrong encoding is seen before it is imported: the
/// first row, and the first with more than ASCII in it when the first has none.
#[test]
fn the_report_shows_the_first_row_and_the_first_with_accents_as_read() {
    let (db, store) = temp_store();
    let text =
        "Name,City,Country\nAcme,Berlin,DE\nBeta,\"=1+2\",DE\nSzőke Kft,Győr,HU\nÉva,Pécs,HU\n";
    let file = write(&db, "hu.csv", &encoded(encoding_rs::WINDOWS_1250, text));
    let example = |row: u64, values: &[&str]| transfer::read::ExampleRow {
        row,
        values: values.iter().map(|v| v.to_string()).collect(),
    };
    let dry = |read_as| preview(&store, &file, read_as);
    let chosen = dry(ReadAs::named(Some("windows-1250"), None).unwrap());
    assert_eq!(
        chosen.examples,
        [
            example(2, &["Acme", "Berlin", "DE"]),
            example(4, &["Szőke Kft", "Győr", "HU"])
        ]
    );
    // Read as Windows-1252, the same row shows what is wrong.
    let other = dry(ReadAs::named(Some("windows-1252"), None).unwrap());
    assert_eq!(other.examples[1], example(4, &["Szõke Kft", "Gyõr", "HU"]));

    // A first row with accents is the one example; long values are cut.
    let long = format!("Name,Comment\nÉva,{}\nAcme,x\n", "y".repeat(100));
    let file = write(&db, "long.csv", long.as_bytes());
    let report = preview(&store, &file, ReadAs::default());
    let cut = format!("{}…", "y".repeat(80));
    assert_eq!(report.examples, [example(2, &["Éva", &cut])]);
}

/// What the examples must not miss: accents after a long first value or only in trimmed-away
/// spaces, and rows that are no customer.
#[test]
fn examples_find_the_first_accents_and_skip_rows_that_are_no_customer() {
    let (db, store) = temp_store();
    let examples = |name: &str, text: &str| {
        let report = preview(
            &store,
            &write(&db, name, text.as_bytes()),
            ReadAs::default(),
        );
        report.examples.iter().map(|e| e.row).collect::<Vec<u64>>()
    };
    // A first value cut at 80 characters is still plain ASCII.
    let long = format!("Name,Comment\nAcme,{}\nÉva Kft,x\n", "y".repeat(100));
    assert_eq!(examples("long.csv", &long), [2, 3]);
    // A no-break space is trimmed away: that row shows nothing but ASCII.
    let nbsp = "Name,City\nAcme,Berlin\nBeta\u{a0},Paris\nÉva,Pécs\n";
    assert_eq!(examples("nbsp.csv", nbsp), [2, 4]);
    // A header row again is skipped, not an example.
    let joined = "Name,City\nName,City\nAcme,Berlin\n";
    assert_eq!(examples("joined.csv", joined), [3]);
}
