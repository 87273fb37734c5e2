//! How a file lays out its rows: delimiters, line endings, Excel's sep= line, PowerShell's
//! #TYPE line, repeated headers, quotes left open, blank lines, and a pipe refused.

use super::*;

#[test]
fn sniffs_every_delimiter_and_line_ending() {
    for (delimiter, label) in [
        (",", "comma"),
        (";", "semicolon"),
        ("\t", "tab"),
        ("|", "vertical bar"),
    ] {
        for ending in ["\n", "\r\n", "\r"] {
            let (db, store) = temp_store();
            let text = [
                ["Name", "City", "Comment"].join(delimiter),
                [
                    "\"Acme, Inc; \"\"the\"\" best|\"",
                    "Berlin",
                    "\"two\nlines\"",
                ]
                .join(delimiter),
                String::new(),
                String::new(),
                String::new(),
                ["Beta", "Köln", ""].join(delimiter),
                ["Gamma", "Graz", "", "surplus"].join(delimiter),
            ]
            .join(ending)
                + ending;
            let report = import(&store, &write(&db, "d.csv", text.as_bytes()));
            let case = format!("{label} {ending:?}");
            assert_eq!(report.delimiter, label, "{case}");
            assert_eq!(
                (report.inserted, report.skipped),
                (2, 1),
                "{case}: {report:?}"
            );
            // Rows are numbered by the line they start on, whatever ends the lines: the
            // header is 1, Acme spans 2–3, the blank lines are 4–6, Beta 7, Gamma 8.
            let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
            assert_eq!(rows, [8], "{case}: {:?}", messages(&report));
            let acme = all(&store)
                .into_iter()
                .find(|c| c.city.as_deref() == Some("Berlin"))
                .unwrap();
            assert_eq!(acme.name, "Acme, Inc; \"the\" best|", "{case}");
            assert!(acme.comment.unwrap().starts_with("two"), "{case}");
        }
    }
}

/// Files joined into one repeat their header (and BOM) in the middle: that row is reported,
/// not imported as a customer named "Name". A delimiter ending every data row is no value.
#[test]
fn a_repeated_header_is_reported_and_trailing_delimiters_are_no_values() {
    let (db, store) = temp_store();
    let mut bytes = b"\xef\xbb\xbfName,City\nAcme,Berlin,\nBeta,Bonn,,\n".to_vec();
    bytes.extend_from_slice(b"\xef\xbb\xbfName,City\nGamma,Graz,\nDelta,Linz,x\n\xef\xbb\xbf\n");
    let report = import(&store, &write(&db, "joined.csv", &bytes));
    assert_eq!((report.inserted, report.invalid), (3, 2), "{report:?}");
    let m = messages(&report);
    assert_eq!(
        m[0],
        "Row 4: A header row again (were two files joined into one?); it is not a \
         customer, so it is skipped."
    );
    assert!(
        m[1].starts_with("Row 6: 3 values, but the header has 2 columns"),
        "{m:?}"
    );
    assert_eq!(get(&store, "gamma").city.as_deref(), Some("Graz"));
    assert!(all(&store).iter().all(|c| !c.name.contains("Name")));

    // Quoted, after a BOM, in capitals, with a delimiter more, and Excel's sep= line again.
    let store = Store::open(db.dir.path().join("second.clientbook")).unwrap();
    let mut bytes = b"\xef\xbb\xbf\"Name\",\"City\"\n\"Eps\",\"Graz\"\n".to_vec();
    bytes.extend_from_slice(
        b"\xef\xbb\xbf\"Name\",\"City\"\n\xef\xbb\xbf\"Zeta \"\"Z\"\"\",\"Linz\"\n",
    );
    bytes.extend_from_slice(b"NAME,CITY,\nsep=,\nEta,Wels\n");
    let report = import(&store, &write(&db, "joined2.csv", &bytes));
    assert_eq!(report.inserted, 3, "{report:?}");
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3, 5, 6], "{:?}", messages(&report));
    assert!(messages(&report)[2].contains("'sep=' line again"));
    assert_eq!(get(&store, "zeta-z").name, "Zeta \"Z\"");

    // After a BOM mid-file, a quoted value may hold delimiters and line breaks as anywhere.
    let store = Store::open(db.dir.path().join("third.clientbook")).unwrap();
    let bytes = b"Comment,Name\r\n\xef\xbb\xbf\"l1\r\nl2, l3\",Theta\r\nx,Iota\r\n";
    let report = import(&store, &write(&db, "joined3.csv", bytes));
    assert_eq!((report.inserted, report.skipped), (2, 0), "{report:?}");
    assert_eq!(
        get(&store, "theta").comment.as_deref(),
        Some("l1\r\nl2, l3")
    );
}

/// A file whose lines end in different ways (joined, or edited on another system) reads every
/// line as one; a CR inside a quoted comment stays in it.
#[test]
fn mixed_line_endings_are_each_a_line_ending() {
    let csv = "Name,City,Comment\r\nAcme,Berlin,\rBeta,Bonn,\"a\rb\"\nGamma,Graz,\r\nDelta,XX,\r";
    let (db, store, report) = imported("mixed-eol.csv", csv);
    assert_eq!((report.rows_read, report.inserted), (4, 4), "{report:?}");
    assert_eq!(get(&store, "beta").comment.as_deref(), Some("a\rb"));
    assert_eq!(get(&store, "gamma").city.as_deref(), Some("Graz"));

    // A quote inside an unquoted value opens nothing: the lone CR after it still ends a line.
    let csv = "Name,City,Comment\nEps,Koln,12\" rack\rZeta\nEta,Bonn,x\n";
    let report = import(&store, &write(&db, "inch.csv", csv.as_bytes()));
    assert_eq!((report.rows_read, report.inserted), (3, 3), "{report:?}");
    assert_eq!(get(&store, "eps").comment.as_deref(), Some("12\" rack"));
}

/// No value keeps a BOM (U+FEFF), wherever it stands: the importer drops one that starts a
/// line, so a comment could not come back from its own export with one after a line break.
#[test]
fn no_value_keeps_a_bom_so_the_round_trip_stays_exact() {
    let (db, store) = temp_store();
    let c = store
        .create_customer(CustomerFields {
            name: Some("\u{feff}Zed\u{feff}Co".into()),
            comment: Some("a\n\u{feff}b".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (c.name.as_str(), c.comment.as_deref()),
        ("ZedCo", Some("a\nb"))
    );
    let file = export_all(&db, &store, "bom.csv");
    let update = updating();
    let report = run(&store, &file, update).unwrap();
    assert_eq!((report.updated, report.unchanged), (0, 2), "{report:?}");
}

/// PowerShell's Export-Csv writes a "#TYPE" line before the header: skipped, and rows keep
/// the numbers of their lines.
#[test]
fn powershells_type_line_is_not_the_header() {
    let (db, store) = temp_store();
    let csv = "#TYPE System.Management.Automation.PSCustomObject\r\n\"Name\";\"Country\"\r\n\
               \"Acme, Inc\";\"DE\"\r\n\"Beta\";\"Atlantis\"\r\n";
    // And the same file again, joined on (BOM and all).
    let joined = format!("{csv}\u{feff}{csv}");
    let report = import(&store, &write(&db, "ps.csv", joined.as_bytes()));
    assert_eq!(report.delimiter, "semicolon");
    assert_eq!(report.inserted, 1, "{report:?}");
    let m = messages(&report);
    assert_eq!(m[0], "Row 4, Country: 'Atlantis' is not a country.");
    assert_starts_with(
        &m[1..3],
        &[
            "Row 5: PowerShell's '#TYPE' line again",
            "Row 6: A header row again",
        ],
    );
    assert_eq!(m.len(), 5, "{m:?}");
    assert_eq!(get(&store, "acme-inc").country.as_deref(), Some("DE"));
}

/// A pipe or device cannot be read twice, as an import reads a file: refused, by name.
#[cfg(unix)]
#[test]
fn a_pipe_is_refused_by_name() {
    let (_db, store) = temp_store();
    let err = run(&store, Path::new("/dev/null"), ImportOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'null' is a character device, not a CSV file: only an ordinary file can be read (it \
         is read twice); save what it holds as a file and use that."
    );
}

#[test]
fn rows_after_blank_lines_are_numbered_by_their_line() {
    let (db, store) = temp_store();
    for ending in ["\n", "\r\n", "\r"] {
        let text = ["Name,Country", "A,XX", "", "", "", "C,XX", "", "D,YY"].join(ending);
        let report = import(&store, &write(&db, "blank.csv", text.as_bytes()));
        let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, [2, 6, 8], "{ending:?}: {:?}", messages(&report));
    }
}
