//! CSV import and export on real files: every encoding, delimiter and line ending people send,
//! row-by-row reports, all-or-nothing writes, and export → import reproducing every customer.

use crate::common::{add, all_rows, named, search_ids, temp_db, write, TempDb};
use clientbook::model::{Customer, CustomerFields, Validity};
use clientbook::store::import::schema_of;
use clientbook::store::ListQuery;
use clientbook::transfer::read::Field;
use clientbook::transfer::{self, ExportOptions, ImportOptions, ImportReport, RowError};
use clientbook::{Error, Store};
use std::path::{Path, PathBuf};

fn run(store: &Store, path: &Path, options: ImportOptions) -> clientbook::Result<ImportReport> {
    transfer::import(store, path, options, &mut |_| true)
}

/// "Update existing".
fn updating() -> ImportOptions {
    ImportOptions {
        update: true,
        ..Default::default()
    }
}

fn import(store: &Store, path: &Path) -> ImportReport {
    run(store, path, ImportOptions::default()).expect("import")
}

/// Every customer, in name order.
fn all(store: &Store) -> Vec<Customer> {
    let mut out = Vec::new();
    store
        .scan(&ListQuery::default(), |c| {
            out.push(c.clone());
            Ok(())
        })
        .unwrap();
    out
}

fn names(store: &Store) -> Vec<String> {
    all(store).into_iter().map(|c| c.name).collect()
}

fn get(store: &Store, id: &str) -> Customer {
    store.customer(id).unwrap()
}

fn messages(report: &ImportReport) -> Vec<String> {
    report.errors.iter().map(RowError::to_string).collect()
}

const SAMPLE: &str =
    "Name,Customer ID,City,Country\nMüller Bau,mueller,Köln,DE\nCafé Zürich,cafe,Zürich,CH\n";

#[test]
fn reads_utf8_with_and_without_bom_and_utf16_with_bom() {
    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("plain.csv", SAMPLE.as_bytes().to_vec(), "UTF-8"),
        (
            "bom.csv",
            [b"\xEF\xBB\xBF".as_slice(), SAMPLE.as_bytes()].concat(),
            "UTF-8 with BOM",
        ),
    ];
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for unit in SAMPLE.encode_utf16() {
        le.extend(unit.to_le_bytes());
        be.extend(unit.to_be_bytes());
    }
    cases.push(("le.csv", le, "UTF-16LE"));
    cases.push(("be.csv", be, "UTF-16BE"));
    for (file, bytes, encoding) in cases {
        let db = temp_db();
        let store = Store::open(&db.path).unwrap();
        let report = import(&store, &write(&db, file, &bytes));
        assert_eq!(report.encoding, encoding, "{file}");
        assert_eq!(
            (report.inserted, report.skipped),
            (2, 0),
            "{file}: {report:?}"
        );
        // The BOM never reaches a header (the Name column was found) or a value.
        assert_eq!(get(&store, "mueller").name, "Müller Bau", "{file}");
        assert_eq!(
            get(&store, "cafe").city.as_deref(),
            Some("Zürich"),
            "{file}"
        );
        assert!(report.ignored_columns.is_empty(), "{file}");
    }
}

/// Files saved as "Unicode text" by some tools are UTF-16 with no byte-order mark; their NUL
/// bytes do not make them binary. A binary file stays refused.
#[test]
fn reads_utf16_without_bom_and_still_refuses_binary_files() {
    let text = "Name\tCity\r\nMüller Bau\tKöln\r\n東京商事\t大阪\r\n";
    for (file, bytes, encoding) in [
        (
            "le.txt",
            text.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
            "UTF-16LE",
        ),
        (
            "be.txt",
            text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            "UTF-16BE",
        ),
    ] {
        let db = temp_db();
        let store = Store::open(&db.path).unwrap();
        let report = import(&store, &write(&db, file, &bytes));
        assert_eq!(
            (report.encoding.as_str(), report.delimiter.as_str()),
            (encoding, "tab"),
            "{file}"
        );
        assert_eq!((report.inserted, report.skipped), (2, 0), "{file}");
        assert_eq!(
            get(&store, "müller-bau").city.as_deref(),
            Some("Köln"),
            "{file}"
        );
        assert_eq!(
            get(&store, "東京商事").city.as_deref(),
            Some("大阪"),
            "{file}"
        );
    }

    // Bytes of no text encoding, NULs included, half of them on even offsets.
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let mut x: u32 = 2_463_534_242;
    let binary: Vec<u8> = (0..10_000)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if i % 7 == 0 {
                0
            } else {
                x as u8
            }
        })
        .collect();
    let err = run(
        &store,
        &write(&db, "data.bin", &binary),
        ImportOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("'data.bin' is not a text file"),
        "{err}"
    );
}

/// Excel reads (and some tools write) a first line `sep=;` naming the delimiter; Excel hides
/// it, so rows are numbered as Excel shows them: the header is row 1.
#[test]
fn an_excel_sep_line_names_the_delimiter_and_is_not_a_row() {
    for (file, text, label) in [
        (
            "semicolon.csv",
            "sep=;\r\nName;Country\r\nAcme, Inc;DE\r\nBeta;Atlantis\r\n",
            "semicolon",
        ),
        // Quoted, and naming a delimiter the sniffer would not pick from these rows.
        (
            "bar.csv",
            "\"sep=|\"\nName|Country\nAcme, Inc|DE\nBeta|Atlantis\n",
            "vertical bar",
        ),
        (
            "tab.csv",
            "SEP=\t\nName\tCountry\nAcme, Inc\tDE\nBeta\tAtlantis\n",
            "tab",
        ),
        // Any punctuation, named as it is.
        (
            "colon.csv",
            "sep=:\nName:Country\nAcme, Inc:DE\nBeta:Atlantis\n",
            "':'",
        ),
    ] {
        let db = temp_db();
        let store = Store::open(&db.path).unwrap();
        let report = import(&store, &write(&db, file, text.as_bytes()));
        assert_eq!(report.delimiter, label, "{file}");
        assert!(report.ignored_columns.is_empty(), "{file}: {report:?}");
        assert_eq!((report.rows_read, report.inserted), (2, 1), "{file}");
        assert_eq!(
            get(&store, "acme-inc").country.as_deref(),
            Some("DE"),
            "{file}"
        );
        assert_eq!(
            messages(&report),
            ["Row 3, Country: 'Atlantis' is not a country."],
            "{file}"
        );
    }
}

/// A quote opened and not closed makes the CSV reader take in the lines after it as one
/// value: the report names the lines so that the rows "missing" from the count are found.
#[test]
fn a_quote_left_open_is_reported_with_the_lines_it_took_in() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name,City,Comment\n\
               Acme,Berlin,\"two\nlines\"\n\
               \"Beta,Paris\nGamma,Rome\nDelta\",Oslo,\n\
               Eps,Rome,\n\
               Zeta,Graz,\"never closed\nEta,Linz,\nTheta,Wels,\n";
    let report = import(&store, &write(&db, "quotes.csv", csv.as_bytes()));
    assert_eq!(
        (report.rows_read, report.inserted, report.invalid),
        (4, 2, 2),
        "{report:?}"
    );
    assert_eq!(
        messages(&report),
        [
            "Row 4, Name: This quoted value runs over lines 4–6, but must be on one line. \
             Remove its line breaks or, if it was not meant to go on, close its quote (\") \
             where the value ends.",
            "Row 8, Comment: A quote (\") opens this value and is never closed, so lines 8–10, \
             to the end of the file, were read as this one value. Close the quote, or remove it.",
        ]
    );
    // A comment may hold line breaks: Acme's is kept as it was quoted.
    assert_eq!(get(&store, "acme").comment.as_deref(), Some("two\nlines"));
    assert_eq!(get(&store, "eps").city.as_deref(), Some("Rome"));

    // Line breaks in a column that is ignored are nobody's business.
    let report = import(
        &store,
        &write(
            &db,
            "other.csv",
            b"Name,Remarks 2\nKappa,\"a\nb\"\nLambda,\n",
        ),
    );
    assert_eq!((report.inserted, report.skipped), (2, 0), "{report:?}");

    // A header with a line break in its quotes (a wrapped Excel title) is a header like any.
    let report = import(
        &store,
        &write(
            &db,
            "wrapped.csv",
            b"\"Customer\nname\",City\nNu,\nXi,Atlantis,x\n",
        ),
    );
    assert_eq!(report.inserted, 1, "{report:?}");
    assert!(messages(&report)[0].starts_with("Row 4: 3 values, but"));

    // The same at the end of a file without a final line break.
    let report = import(
        &store,
        &write(&db, "end.csv", b"Name,City\nIota,\"Berlin\nMu,Bonn"),
    );
    assert_eq!(
        messages(&report),
        [
            "Row 2, City: A quote (\") opens this value and is never closed, so lines 2–3, to \
             the end of the file, were read as this one value. Close the quote, or remove it."
        ]
    );

    // A comment that ends with a line break, its quote closed, ends the file as it should —
    // with or without a line break after it, and with an escaped quote before its end.
    for (file, csv, comment) in [
        ("closed.csv", "Name,Comment\nOmicron,\"line1\n\"\n", "line1"),
        (
            "closed-end.csv",
            "Name,Comment\nOmicron,\"line1\n\"",
            "line1",
        ),
        (
            "closed-crlf.csv",
            "Name,Comment\r\nOmicron,\"a \"\"b\"\"\r\n\"\r\n",
            "a \"b\"",
        ),
    ] {
        let store = Store::open(db.dir.path().join(format!("{file}.clientbook"))).unwrap();
        let report = import(&store, &write(&db, file, csv.as_bytes()));
        assert_eq!(
            (report.inserted, report.skipped),
            (1, 0),
            "{file}: {report:?}"
        );
        assert_eq!(get(&store, "omicron").comment.as_deref(), Some(comment));
    }
    // Left open after an escaped quote, it is still open.
    let report = import(
        &store,
        &write(&db, "open.csv", b"Name,Comment\nPi,\"say \"\"hi\"\"\n"),
    );
    assert!(
        messages(&report)[0].starts_with(
            "Row 2, Comment: A quote (\") opens this value and is never closed, so line 2,"
        ),
        "{report:?}"
    );

    // A header-only file whose header is wrapped has no customer — and no open quote.
    let report = import(
        &store,
        &write(&db, "header.csv", b"\"Customer\nname\",City\n"),
    );
    assert_eq!((report.rows_read, report.skipped), (0, 0), "{report:?}");
}

#[test]
fn reads_legacy_windows_1252_files() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252
        .encode("Name;City;Comment\r\nMüller Straße;Köln;Preis 5 €\r\nÅse Ølund;Århus;\r\n");
    assert!(!unmappable);
    let report = import(&store, &write(&db, "excel.csv", &bytes));
    assert_eq!(report.encoding, "Windows-1252");
    assert_eq!(report.delimiter, "semicolon");
    assert_eq!(report.inserted, 2, "{report:?}");
    let c = get(&store, "müller-straße");
    assert_eq!(c.city.as_deref(), Some("Köln"));
    assert_eq!(c.comment.as_deref(), Some("Preis 5 €"));
    assert_eq!(get(&store, "åse-ølund").city.as_deref(), Some("Århus"));
}

/// A UTF-8 file with a row pasted in from a Windows-1252 file stays UTF-8: that row is
/// reported, with its line and column, and no other row is garbled.
#[test]
fn a_utf8_file_with_a_few_bytes_that_are_not_reports_those_rows() {
    for (file, bom) in [
        ("mixed.csv", &b""[..]),
        ("mixed-bom.csv", &b"\xef\xbb\xbf"[..]),
    ] {
        let db = temp_db();
        let store = Store::open(&db.path).unwrap();
        let mut bytes = bom.to_vec();
        bytes.extend_from_slice(
            b"Name,City\nM\xc3\xbcller GmbH,K\xc3\xb6ln\n\n\"Caf\xc3\xa9\nNoir\",Paris\nBistro,Caf\xe9 Stra\xdfe\nZ\xc3\xbcrich AG,Z\xc3\xbcrich\n",
        );
        let report = import(&store, &write(&db, file, &bytes));
        assert!(
            report.encoding.starts_with("UTF-8"),
            "{file}: {}",
            report.encoding
        );
        assert_eq!(
            (report.inserted, report.invalid),
            (2, 2),
            "{file}: {report:?}"
        );
        let m = messages(&report);
        assert!(
            m[0].starts_with("Row 4, Name: This quoted value runs over lines 4–5"),
            "{m:?}"
        );
        assert_eq!(
            m[1],
            "Row 6, City: Contains bytes that are not UTF-8 text, though the rest of the file is \
             (probably characters pasted in from a file in another encoding); type them again \
             and import the file again."
        );
        assert_eq!(get(&store, "müller-gmbh").city.as_deref(), Some("Köln"));
        assert_eq!(get(&store, "zürich-ag").city.as_deref(), Some("Zürich"));
    }
}

/// A file's encoding is judged by all of it: UTF-8 rows outnumbered by rows from a legacy
/// file still make it UTF-8 (those rows are errors), and accents that come only after the
/// first megabytes decide the legacy encoding.
#[test]
fn the_encoding_is_judged_by_the_whole_file() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let mut bytes = "Name,City\nMüller,Köln\n".as_bytes().to_vec();
    for i in 0..3 {
        let row = format!("Bäcker {i},Düsseldorf\n");
        bytes.extend_from_slice(&encoding_rs::WINDOWS_1252.encode(&row).0);
    }
    let report = import(&store, &write(&db, "mostly-legacy.csv", &bytes));
    assert_eq!(report.encoding, "UTF-8");
    assert_eq!((report.inserted, report.invalid), (1, 3), "{report:?}");
    assert_eq!(get(&store, "müller").city.as_deref(), Some("Köln"));

    let mut text = String::from("Name,City,Country\n");
    for i in 0..250_000 {
        text += &format!("F{i},Warszawa,PL\n");
    }
    let mut bytes = text.into_bytes();
    let (late, _, _) = encoding_rs::WINDOWS_1250.encode("Łódź Żółć sp. z o.o.,Kraków,PL\n");
    bytes.extend_from_slice(&late);
    let report = import(&store, &write(&db, "late.csv", &bytes));
    assert_eq!(report.encoding, "Windows-1250", "{report:?}");
    assert_eq!(
        get(&store, "łódź-żółć-sp-z-o-o").city.as_deref(),
        Some("Kraków")
    );
}

/// Bytes that are not text are a row error also where the row has worse trouble (then told
/// first), in a UTF-16 file (a lone surrogate), and in the header (the file is refused).
#[test]
fn bytes_that_are_not_text_are_reported_wherever_they_are() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let report = import(
        &store,
        &write(
            &db,
            "open.csv",
            b"Name,Comment\n\xc3\x84rger,\xc3\xbc\nB,\"abc\xff\n",
        ),
    );
    assert_eq!(
        messages(&report),
        [
            "Row 3, Comment: A quote (\") opens this value and is never closed, so line 3, to the \
          end of the file, was read as this one value. Close the quote, or remove it."
        ]
    );

    let mut utf16 = b"\xff\xfe".to_vec();
    let units = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    utf16.extend(units("Name,City\nGood,Graz\nBad"));
    utf16.extend([0x00, 0xd8]); // a high surrogate with no low one after it
    utf16.extend(units(",X\n"));
    // With its BOM, and without (told by its NUL bytes).
    for (file, bytes) in [("utf16.csv", &utf16[..]), ("utf16-no-bom.csv", &utf16[2..])] {
        let store = Store::open(db.dir.path().join(format!("{file}.clientbook"))).unwrap();
        let report = import(&store, &write(&db, file, bytes));
        assert_eq!(report.inserted, 1, "{file}: {report:?}");
        assert_eq!(
            messages(&report),
            [
                "Row 3, Name: Contains bytes that are not UTF-16LE text, as the rest of the file \
              is (the file is damaged here, or this part came from a file in another \
              encoding); type them again and import the file again."
            ],
            "{file}"
        );
    }

    let err = run(
        &store,
        &write(
            &db,
            "header.csv",
            b"Na\xffme,City\nM\xc3\xbcller,K\xc3\xb6ln\n\xc3\x84,\xc3\x96\n",
        ),
        ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "'header.csv' has bytes that are not UTF-8 text in its header row, so its columns \
         cannot be told; type the column names again and import it again, or choose the \
         encoding it was saved in."
    );
}

/// Files in other legacy encodings than Windows-1252 are told apart and read as they are
/// meant, not as Windows-1252 gibberish.
#[test]
fn reads_japanese_and_cyrillic_legacy_files() {
    for (encoding, label, text, id, city) in [
        (
            encoding_rs::SHIFT_JIS,
            "Shift_JIS",
            "Name,City\r\n株式会社東京,東京都千代田区\r\n大阪商事株式会社,大阪市北区\r\n",
            "株式会社東京",
            "東京都千代田区",
        ),
        (
            encoding_rs::WINDOWS_1251,
            "Windows-1251",
            "Name;City\r\nООО Ромашка;Москва\r\nЗАО Василёк;Санкт-Петербург\r\n",
            "ооо-ромашка",
            "Москва",
        ),
    ] {
        let db = temp_db();
        let store = Store::open(&db.path).unwrap();
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable);
        let report = import(&store, &write(&db, "legacy.csv", &bytes));
        assert_eq!(report.encoding, label);
        assert_eq!(report.inserted, 2, "{report:?}");
        assert_eq!(get(&store, id).city.as_deref(), Some(city));
    }
}

#[test]
fn a_utf8_file_with_one_late_latin1_byte_is_read_as_windows_1252() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let mut bytes = b"Name\n".to_vec();
    for i in 0..20_000 {
        bytes.extend(format!("Firm {i}\n").as_bytes());
    }
    bytes.extend(b"M\xFCller\n");
    let report = import(&store, &write(&db, "late.csv", &bytes));
    assert_eq!(report.encoding, "Windows-1252");
    assert_eq!(report.inserted, 20_001);
    assert_eq!(get(&store, "müller").name, "Müller");
}

#[test]
fn sniffs_every_delimiter_and_line_ending() {
    for (delimiter, label) in [
        (",", "comma"),
        (";", "semicolon"),
        ("\t", "tab"),
        ("|", "vertical bar"),
    ] {
        for ending in ["\n", "\r\n", "\r"] {
            let db = temp_db();
            let store = Store::open(&db.path).unwrap();
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
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
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
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name,City,Comment\r\nAcme,Berlin,\rBeta,Bonn,\"a\rb\"\nGamma,Graz,\r\nDelta,XX,\r";
    let report = import(&store, &write(&db, "mixed-eol.csv", csv.as_bytes()));
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
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
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
    let file = db.dir.path().join("bom.csv");
    transfer::export(
        &store,
        &ListQuery::default(),
        &file,
        ExportOptions::default(),
    )
    .unwrap();
    let update = updating();
    let report = run(&store, &file, update).unwrap();
    assert_eq!((report.updated, report.unchanged), (0, 2), "{report:?}");
}

/// PowerShell's Export-Csv writes a "#TYPE" line before the header: skipped, and rows keep
/// the numbers of their lines.
#[test]
fn powershells_type_line_is_not_the_header() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "#TYPE System.Management.Automation.PSCustomObject\r\n\"Name\";\"Country\"\r\n\
               \"Acme, Inc\";\"DE\"\r\n\"Beta\";\"Atlantis\"\r\n";
    // And the same file again, joined on (BOM and all).
    let joined = format!("{csv}\u{feff}{csv}");
    let report = import(&store, &write(&db, "ps.csv", joined.as_bytes()));
    assert_eq!(report.delimiter, "semicolon");
    assert_eq!(report.inserted, 1, "{report:?}");
    let m = messages(&report);
    assert_eq!(m[0], "Row 4, Country: 'Atlantis' is not a country.");
    assert!(
        m[1].starts_with("Row 5: PowerShell's '#TYPE' line again"),
        "{m:?}"
    );
    assert!(m[2].starts_with("Row 6: A header row again"), "{m:?}");
    assert_eq!(m.len(), 5, "{m:?}");
    assert_eq!(get(&store, "acme-inc").country.as_deref(), Some("DE"));
}

/// A pipe or device cannot be read twice, as an import reads a file: refused, by name.
#[cfg(unix)]
#[test]
fn a_pipe_is_refused_by_name() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let err = run(&store, Path::new("/dev/null"), ImportOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'null' is a character device, not a CSV file: only an ordinary file can be read (it \
         is read twice); save what it holds as a file and use that."
    );
}

#[test]
fn rows_after_blank_lines_are_numbered_by_their_line() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    for ending in ["\n", "\r\n", "\r"] {
        let text = ["Name,Country", "A,XX", "", "", "", "C,XX", "", "D,YY"].join(ending);
        let report = import(&store, &write(&db, "blank.csv", text.as_bytes()));
        let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, [2, 6, 8], "{ending:?}: {:?}", messages(&report));
    }
}

#[test]
fn headers_are_matched_loosely_and_unknown_columns_listed() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = " customer name ;SLUG;Postal-Code;TOWN;country;Web site;NOTES;Status;Revenue;Owner\n\
               Acme;acme-x;10115;Berlin;Germany;acme.example;hi;invalid;5;me\n";
    let report = import(&store, &write(&db, "h.csv", csv.as_bytes()));
    assert_eq!(report.inserted, 1, "{report:?}");
    assert_eq!(report.ignored_columns, vec!["Revenue", "Owner"]);
    let c = get(&store, "acme-x");
    assert_eq!(c.zip.as_deref(), Some("10115"));
    assert_eq!(c.city.as_deref(), Some("Berlin"));
    assert_eq!(c.country.as_deref(), Some("DE"));
    assert_eq!(c.url.as_deref(), Some("https://acme.example"));
    assert_eq!(c.comment.as_deref(), Some("hi"));
    assert!(!c.active);

    // Another PSA's export: "Customer #" is the number, not the name, and Status says
    // Active / Inactive.
    let csv = "Customer #,Customer Name,Status\n1001,Acme Corp,Active\n1002,Beta Ltd,Inactive\n";
    let report = import(&store, &write(&db, "psa.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.skipped), (2, 0), "{report:?}");
    assert_eq!(get(&store, "1001").name, "Acme Corp");
    assert!(get(&store, "1001").active);
    assert!(!get(&store, "1002").active);
}

/// American company lists (and Autotask's companies) have a State column: it is ignored, not
/// read as the validity, which failed every row. CRM exports name one address of several.
#[test]
fn american_and_crm_exports_import_with_their_address_columns() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Company Name,Address 1,City,State,Postal Code,Country,Web Site,Phone\r\n\
               \"Acme, Inc\",1 Main St,Springfield,IL,62701,United States,acme.example,555-0100\r\n";
    let report = import(&store, &write(&db, "us.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.skipped), (1, 0), "{report:?}");
    assert_eq!(report.ignored_columns, vec!["State", "Phone"]);
    let c = get(&store, "acme-inc");
    assert_eq!(c.street.as_deref(), Some("1 Main St"));
    assert_eq!(c.zip.as_deref(), Some("62701"));
    assert_eq!(c.country.as_deref(), Some("US"));
    assert!(c.active);

    // Salesforce's accounts: billing before shipping, and the billing address is the one read.
    let csv = "Account Name,Billing Street,Billing City,Billing State/Province,\
               Billing Zip/Postal Code,Billing Country,Shipping City,Website\n\
               Beta,2 Elm St,Austin,TX,78701,USA,Dallas,beta.example\n";
    let report = import(&store, &write(&db, "salesforce.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.skipped), (1, 0), "{report:?}");
    assert_eq!(
        report.ignored_columns,
        vec!["Billing State/Province", "Shipping City"]
    );
    let c = get(&store, "beta");
    assert_eq!(
        (c.street.as_deref(), c.city.as_deref(), c.zip.as_deref()),
        (Some("2 Elm St"), Some("Austin"), Some("78701"))
    );
    assert_eq!(c.country.as_deref(), Some("US"));

    // Autotask's company fields as its API names them: companyNumber is the customer ID.
    let csv = "companyName,companyNumber,address1,city,state,postalCode,webAddress,isActive\n\
               Delta LLC,D-100,4 Pine,Reno,NV,89501,delta.example,false\n";
    let report = import(&store, &write(&db, "autotask.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.skipped), (1, 0), "{report:?}");
    assert_eq!(report.ignored_columns, vec!["state"]);
    let c = get(&store, "d-100");
    assert_eq!(
        (c.name.as_str(), c.zip.as_deref()),
        ("Delta LLC", Some("89501"))
    );
    assert!(!c.active);

    // Microsoft's "Country/Region".
    let csv = "Company,Business Street,Business City,Country/Region\nGamma,3 Oak,Leeds,GB\n";
    let report = import(&store, &write(&db, "outlook.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.skipped), (1, 0), "{report:?}");
    assert_eq!(get(&store, "gamma").country.as_deref(), Some("GB"));
}

/// Values as other tools leave them: placeholders for "no value" in checked columns, an email
/// address in the website column, Status words that are not a validity, and creation times
/// with their zone written after them (Syncro, Hudu).
#[test]
fn other_tools_values_read_as_a_user_would_expect() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Business Name,Email,Website,Country,Status,Created At\n\
               Acme,a@acme.example,acme.example,N/A,Active,2023-06-14 15:04:12 -0700\n\
               Beta,,-,unknown,-,2024-03-01 17:22:05 UTC\n\
               Gamma,,info@gamma.example,DE,,\n\
               Delta,,mailto:hi@delta.example,DE,,\n\
               Eps,,//eps.example,Deutschland,Prospect,\n";
    let report = import(&store, &write(&db, "syncro.csv", csv.as_bytes()));
    assert_eq!(
        (report.inserted, report.invalid),
        (2, 3),
        "{:?}",
        messages(&report)
    );
    let m = messages(&report);
    assert_eq!(
        m[0],
        "Row 4, Website: 'info@gamma.example' is an email address, not a web address."
    );
    assert_eq!(
        m[1],
        "Row 5, Website: 'mailto:hi@delta.example' is an email address, not a web address."
    );
    assert_eq!(
        m[2],
        "Row 6, Status: 'Prospect' is not a validity: use valid, invalid or invalid-temporarily \
         (or yes/no, Active/Inactive)."
    );
    let acme = get(&store, "acme");
    assert_eq!(acme.country, None);
    assert_eq!(acme.created_at, "2023-06-14T22:04:12.000Z");
    let beta = get(&store, "beta");
    assert_eq!((beta.url, beta.country), (None, None));
    assert!(beta.active);
    assert_eq!(beta.created_at, "2024-03-01T17:22:05.000Z");

    // With "Update existing", a placeholder or an empty status keeps what is stored: it says
    // nothing is known, not that the value is gone; an empty country still clears it.
    let before = get(&store, "acme");
    store
        .create_customer(CustomerFields {
            customer_id: Some("gamma-x".into()),
            name: Some("Gamma X".into()),
            country: Some("DE".into()),
            validity: Some("invalid-temporarily".into()),
            ..Default::default()
        })
        .unwrap();
    let csv = "Customer ID,Name,Country,Website,Status\nacme,Acme,n/a,-,unknown\n\
               gamma-x,Gamma X,,,\n";
    let update = updating();
    let report = run(&store, &write(&db, "upd.csv", csv.as_bytes()), update).unwrap();
    assert_eq!(report.invalid, 0, "{report:?}");
    let acme = get(&store, "acme");
    assert_eq!(
        (acme.country, acme.url, acme.active),
        (before.country, before.url, before.active)
    );
    let gamma = get(&store, "gamma-x");
    assert_eq!(gamma.country, None, "an empty country clears it");
    assert_eq!(gamma.validity, Validity::InvalidTemporarily);

    // The same with the last row's status left out: "//eps.example" is a link without its
    // scheme, and "Deutschland" is Germany.
    let csv = "Name,Website,Land\nEps,//eps.example,Deutschland\nZeta,,Österreich\n";
    let report = import(&store, &write(&db, "de.csv", csv.as_bytes()));
    assert_eq!(
        (report.inserted, report.invalid),
        (2, 0),
        "{:?}",
        messages(&report)
    );
    let eps = get(&store, "eps");
    assert_eq!(eps.url.as_deref(), Some("https://eps.example"));
    assert_eq!(eps.country.as_deref(), Some("DE"));
    assert_eq!(get(&store, "zeta").country.as_deref(), Some("AT"));

    // A placeholder for the name is no name; one for the ID is none given (the ID is made
    // from the name); one for the street, ZIP or city is none, and "Update existing" keeps
    // the stored one.
    let csv = "Customer ID,Name,Street,ZIP,City\n\
               n/a,Theta,-,?,unknown\n\
               none,Iota,,,\n\
               x-1,n/a,1 Elm St,,\n\
               x-2,-,,,\n";
    let report = import(&store, &write(&db, "placeholders.csv", csv.as_bytes()));
    assert_eq!(
        messages(&report),
        [
            "Row 4, Name: 'n/a' stands for no name; a customer needs a name.",
            "Row 5, Name: '-' stands for no name; a customer needs a name.",
        ]
    );
    let theta = get(&store, "theta");
    assert_eq!((theta.street, theta.zip, theta.city), (None, None, None));
    assert_eq!(get(&store, "iota").name, "Iota");
    let csv = "Customer ID,Name,Street,City\nacme,Acme,1 Main St,Leeds\n";
    run(
        &store,
        &write(&db, "street.csv", csv.as_bytes()),
        updating(),
    )
    .unwrap();
    let csv = "Customer ID,Name,Street,City\nacme,Acme,n/a,-\n";
    let report = run(
        &store,
        &write(&db, "street2.csv", csv.as_bytes()),
        updating(),
    )
    .unwrap();
    assert_eq!(report.invalid, 0, "{report:?}");
    let acme = get(&store, "acme");
    assert_eq!(
        (acme.street.as_deref(), acme.city.as_deref()),
        (Some("1 Main St"), Some("Leeds"))
    );
}

/// Salesforce's 15-character IDs tell case apart; Clientbook's do not. "Update existing" with an
/// ID that matches another only when case is ignored would overwrite that customer: the row is
/// an error naming the stored ID, and the customer stays as it was.
#[test]
fn an_update_whose_id_matches_only_in_another_case_is_refused() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Account ID,Account Name,City\n0015g00000Xy1aB,Alpha Dental,Austin\n";
    assert_eq!(
        import(&store, &write(&db, "a.csv", csv.as_bytes())).inserted,
        1
    );
    let csv = "Account ID,Account Name,City\n0015g00000Xy1ab,Bravo Legal,Boston\n\
               0015g00000Xy1aB,Alpha Dental,Dallas\n";
    let update = updating();
    let report = run(&store, &write(&db, "b.csv", csv.as_bytes()), update).unwrap();
    assert_eq!((report.updated, report.invalid), (1, 1), "{report:?}");
    assert_eq!(
        messages(&report)[0],
        "Row 2, Account ID: '0015g00000Xy1ab' matches the customer ID '0015g00000Xy1aB' \
         (\u{201c}Alpha Dental\u{201d}) only when case is ignored, as customer IDs are compared; \
         to update that customer, write its ID as '0015g00000Xy1aB'."
    );
    let alpha = get(&store, "0015g00000Xy1aB");
    assert_eq!(
        (alpha.name.as_str(), alpha.city.as_deref()),
        ("Alpha Dental", Some("Dallas"))
    );

    // Without "Update existing", the row says why its ID is taken, and what would update.
    let csv = "Account ID,Account Name\n0015g00000Xy1ab,Bravo Legal\n";
    let report = import(&store, &write(&db, "c.csv", csv.as_bytes()));
    assert_eq!(
        messages(&report),
        [
            "Row 2, Account ID: '0015g00000Xy1ab' is taken: the customer ID '0015g00000Xy1aB' \
          (\u{201c}Alpha Dental\u{201d}) differs only in case, and customer IDs are compared \
          without it. Give this row another ID, or to update that customer write its ID as \
          '0015g00000Xy1aB' and choose 'Update existing'."
        ]
    );
}

/// QuickBooks has "Billing Address" (the whole address, on one line) before "Billing Street":
/// the street column is the one read; HubSpot's website before its company domain.
#[test]
fn a_precise_column_is_read_before_a_rough_one() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Customer,Billing Address,Billing Street,Billing City,Billing ZIP\n\
               Acme,\"4581 Finch St., Bayshore, CA 94326\",4581 Finch St.,Bayshore,94326\n\
               Omega,\"1 Main St, Springfield\",,Springfield,\n";
    let report = import(&store, &write(&db, "qbo.csv", csv.as_bytes()));
    assert_eq!(report.inserted, 2, "{report:?}");
    assert!(report.ignored_columns.is_empty(), "{report:?}");
    assert_eq!(report.columns[1].fallback, Some(Field::Street));
    // Where the street is empty, the address is read.
    assert_eq!(
        get(&store, "omega").street.as_deref(),
        Some("1 Main St, Springfield")
    );

    // Of another address, the whole address is not displaced: the first address stays one.
    let csv = "Name,Billing Address,Billing City,Shipping Street,Shipping City\n\
               Psi,1 Quay,Leeds,9 Dock Rd,Hull\n";
    let report = import(&store, &write(&db, "two-addresses.csv", csv.as_bytes()));
    assert_eq!(
        report.ignored_columns,
        vec!["Shipping Street", "Shipping City"]
    );
    let psi = get(&store, "psi");
    assert_eq!(
        (psi.street.as_deref(), psi.city.as_deref()),
        (Some("1 Quay"), Some("Leeds"))
    );
    assert_eq!(
        get(&store, "acme").street.as_deref(),
        Some("4581 Finch St.")
    );

    // Alone, the address is the street, as before.
    let csv = "Name,Address,City\nBeta,1 Elm St,Leeds\n";
    let report = import(&store, &write(&db, "plain.csv", csv.as_bytes()));
    assert!(report.ignored_columns.is_empty(), "{report:?}");
    assert_eq!(get(&store, "beta").street.as_deref(), Some("1 Elm St"));

    // HubSpot: the website, not the domain (often empty), is the URL.
    let csv = "Company name,Company Domain Name,Website URL\nGamma,,https://gamma.example/\n\
               Cyberdyne,cyberdyne.example,\n";
    let report = import(&store, &write(&db, "hubspot.csv", csv.as_bytes()));
    assert!(report.ignored_columns.is_empty(), "{report:?}");
    assert_eq!(
        get(&store, "gamma").url.as_deref(),
        Some("https://gamma.example/")
    );
    assert_eq!(
        get(&store, "cyberdyne").url.as_deref(),
        Some("https://cyberdyne.example")
    );
    // A placeholder in the first column is no value: the second is read.
    let csv = "Company name,Website URL,Company Domain Name\nUpsilon,n/a,upsilon.example\n";
    import(&store, &write(&db, "hubspot2.csv", csv.as_bytes()));
    assert_eq!(
        get(&store, "upsilon").url.as_deref(),
        Some("https://upsilon.example")
    );

    // Autotask's "Company ID" is its own number: "Company Number" is the customer ID. Xero's
    // "CompanyNumber" is a registration number: "AccountNumber" is. Neither is read where the
    // other is empty (two numbering schemes); a legal name is read where the name is empty,
    // but a contact person's name never is.
    let csv = "Company ID,Company Name,Company Number\n29683451,Contoso Ltd,C-1001\n";
    let report = import(&store, &write(&db, "autotask.csv", csv.as_bytes()));
    assert_eq!(report.ignored_columns, vec!["Company ID"]);
    assert_eq!(get(&store, "c-1001").name, "Contoso Ltd");
    let csv = "Name,CompanyNumber,AccountNumber,LegalName,Contact Name\n\
               Kappa Ltd,12345678,CL01,,Jane\n,87654321,CL02,Lambda Holdings Ltd,Joe\n\
               ,1,CL03,,John Smith\n";
    let report = import(&store, &write(&db, "xero.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.invalid), (2, 1), "{report:?}");
    assert_eq!(messages(&report), ["Row 4, Name: A customer needs a name."]);
    assert_eq!(get(&store, "cl01").name, "Kappa Ltd");
    assert_eq!(get(&store, "cl02").name, "Lambda Holdings Ltd");

    // Salesforce's "Account ID" is its own record number, whichever column comes first:
    // "Account Number" is the customer ID.
    let csv = "Account ID,Account Name,Account Number\n0015g00000Xy1aB,Mu Corp,MU-7\n";
    let report = import(&store, &write(&db, "salesforce.csv", csv.as_bytes()));
    assert_eq!(report.ignored_columns, vec!["Account ID"]);
    assert_eq!(get(&store, "mu-7").name, "Mu Corp");

    // A value read from the second column is that column's in a message about it.
    let csv = "Name,Website URL,Company Domain Name\nNu,,nu example\nXi,xi example,\n";
    let report = import(&store, &write(&db, "fallback-errors.csv", csv.as_bytes()));
    let columns: Vec<_> = report.errors.iter().map(|e| e.column.as_deref()).collect();
    assert_eq!(
        columns,
        [Some("Company Domain Name"), Some("Website URL")],
        "{:?}",
        messages(&report)
    );
}

/// HaloPSA's "Inactive" and Hudu's "archived" say the opposite of Active: such customers come
/// in inactive, not active with the column ignored.
#[test]
fn inactive_and_archived_columns_make_customers_inactive() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name,Inactive\nOld Mill,True\nNew Mill,False\nOdd Mill,maybe\n";
    let report = import(&store, &write(&db, "halo.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.invalid), (2, 1), "{report:?}");
    assert!(!get(&store, "old-mill").active);
    assert!(get(&store, "new-mill").active);
    assert!(messages(&report)[0].starts_with("Row 4, Inactive: 'maybe' is not yes or no"));

    // State words name the state, in an Inactive column too; a Status contradicted is named.
    let csv = "Name,Inactive,Status,Active\nRho,Inactive,,\nSigma,Active,,\nTau,,Inactive,Yes\n";
    let report = import(&store, &write(&db, "words.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.invalid), (2, 1), "{report:?}");
    assert!(!get(&store, "rho").active);
    assert!(get(&store, "sigma").active);
    assert_eq!(
        messages(&report)[0],
        "Row 4, Active: 'Yes' contradicts Status 'Inactive'."
    );

    let csv = "name,archived,Active\nAlpha,true,\nBeta,false,yes\nGamma,true,yes\n";
    let report = import(&store, &write(&db, "hudu.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.invalid), (2, 1), "{report:?}");
    assert!(!get(&store, "alpha").active);
    assert!(get(&store, "beta").active);
    assert_eq!(
        messages(&report)[0],
        "Row 4, archived: 'true' contradicts Active 'yes'."
    );
}

/// Files joined from two tools: the second's header names the same columns its own way, or
/// only some of them. Such a row is reported; a customer whose name is a column's name, in a
/// row with values that are not, is still a customer.
#[test]
fn another_tools_header_further_down_is_reported() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name,City,Country\nAcme,Berlin,DE\nCompany,Town,Country\nBeta,Bonn,DE\n\
               \"Name\",,\nCUSTOMER NAME,TOWN,\nCustomer,Graz,AT\n,City,\nDelta,Linz,AT\n\
               City,Name,\nCompany,,\n";
    let report = import(&store, &write(&db, "two-tools.csv", csv.as_bytes()));
    assert_eq!(report.inserted, 5, "{:?}", messages(&report));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3, 5, 6, 8, 10], "{:?}", messages(&report));
    for m in messages(&report) {
        assert!(m.contains(": A header row again"), "{m}");
    }
    assert_eq!(get(&store, "customer").city.as_deref(), Some("Graz"));
    // One header word alone, and not this header's own: a customer called "Company".
    assert_eq!(get(&store, "company").city, None);
    let names = names(&store);
    assert!(
        ["Name", "CUSTOMER NAME", "City", ""]
            .iter()
            .all(|n| !names.iter().any(|m| m == n)),
        "{names:?}"
    );

    // German names under English ones; and a customer ID that is a header word of another
    // field ("client", as the app makes it from the name Client) is still a customer's.
    let csv = "Name,Street,ZIP,City,Customer ID\nFirma,Straße,PLZ,Ort,\nClient,,,,client\n";
    let report = import(&store, &write(&db, "de-header.csv", csv.as_bytes()));
    assert_eq!(
        (report.inserted, report.invalid),
        (1, 1),
        "{:?}",
        messages(&report)
    );
    assert!(messages(&report)[0].starts_with("Row 2: A header row again"));
    assert_eq!(get(&store, "client").name, "Client");

    // A column the import ignores may have another name in the second file's header.
    let csv = "Name,City,Phone\nEps,Berlin,1\nName,City,Telephone\nName,Bonn,2\n";
    let report = import(&store, &write(&db, "phones.csv", csv.as_bytes()));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3], "{:?}", messages(&report));
    assert_eq!(get(&store, "name").city.as_deref(), Some("Bonn"));
    // One header word, with other tools' names for columns no customer field takes.
    let csv = "Company,Phone,Email\n\
               Rho,1,r@rho.example\n\
               Company,Telephone,E-Mail\n\
               Company,+49 1,c@company.example\n";
    let report = import(&store, &write(&db, "contacts.csv", csv.as_bytes()));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3], "{:?}", messages(&report));
    assert_eq!(
        report.inserted, 2,
        "a customer called Company, with a phone"
    );

    // A value the column takes is the customer's, even where it also names the column: a
    // customer "Organisation" whose Status is "Valid". The header itself, repeated, is still
    // a header row.
    let csv = "Name,Status\nOrganisation,Valid\nName,Status\nKappa,valid\n";
    let report = import(&store, &write(&db, "valid.csv", csv.as_bytes()));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3], "{:?}", messages(&report));
    assert!(get(&store, "organisation").active);
    // Such a value in another tool's header beside two header words: still a header row.
    let csv = "Name,City,Status\nLambda,Lund,valid\nName,City,Valid\nCompany,Town,Active\n";
    let report = import(&store, &write(&db, "valid2.csv", csv.as_bytes()));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [3, 4], "{:?}", messages(&report));
    assert_eq!(report.inserted, 1);
}

#[test]
fn active_yes_no_columns_and_country_spellings() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name,Active,Country\nA,yes,DEU\nB,no,Switzerland\nC,1,at\nD,false,\nE,maybe,\n";
    let report = import(&store, &write(&db, "a.csv", csv.as_bytes()));
    assert_eq!(report.inserted, 4);
    assert!(get(&store, "a").active);
    assert!(!get(&store, "b").active);
    assert_eq!(get(&store, "b").country.as_deref(), Some("CH"));
    assert_eq!(get(&store, "c").country.as_deref(), Some("AT"));
    assert!(!get(&store, "d").active);
    assert_eq!(
        messages(&report),
        vec!["Row 6, Active: 'maybe' is not yes or no (use yes/no, true/false or 1/0)."]
    );
}

/// A spreadsheet's column of ticks: "x" (or ✓) for yes and nothing for no. Read as such, an
/// unticked customer is inactive — not active because the cell said nothing. A column with
/// other values keeps an empty cell as "not said".
#[test]
fn an_active_column_of_ticks_reads_an_empty_cell_as_no() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name,Active\nA,x\nB,\nC,\u{2713}\nD\n";
    let report = import(&store, &write(&db, "ticks.csv", csv.as_bytes()));
    assert_eq!(report.inserted, 4, "{:?}", messages(&report));
    assert!(report.columns[1].marks);
    let active = |id: &str| get(&store, id).active;
    assert_eq!(
        [active("a"), active("b"), active("c"), active("d")],
        [true, false, true, false]
    );

    // The same for an Archived column: ticked ones are inactive, the others active.
    let csv = "Name,Archived\nE,\nF,X\n";
    import(&store, &write(&db, "archived.csv", csv.as_bytes()));
    assert_eq!([active("e"), active("f")], [true, false]);

    // Yes/no words with some left empty: empty says nothing, and the customer is active.
    let csv = "Name,Active\nG,yes\nH,\nI,no\n";
    let report = import(&store, &write(&db, "words.csv", csv.as_bytes()));
    assert!(!report.columns[1].marks);
    assert_eq!([active("g"), active("h"), active("i")], [true, true, false]);
}

#[test]
fn a_one_column_name_file_imports_as_is() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let report = import(
        &store,
        &write(&db, "n.csv", b"Name\nacme-corp\nbeta-gmbh\n"),
    );
    assert_eq!(report.inserted, 2);
    assert_eq!(get(&store, "acme-corp").name, "acme-corp");
    assert_eq!(get(&store, "beta-gmbh").name, "beta-gmbh");

    // A customer named "Name" is one, not the header again.
    let report = import(&store, &write(&db, "name.csv", b"Name\nName\n"));
    assert_eq!(report.inserted, 1, "{report:?}");
    assert_eq!(get(&store, "name").name, "Name");
}

#[test]
fn files_that_cannot_be_imported_are_refused_by_name_and_nothing_is_written() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let before = all(&store);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", vec![], "'empty.csv' is empty"),
        ("bom-only.csv", b"\xEF\xBB\xBF\r\n\r\n".to_vec(), "'bom-only.csv' is empty"),
        (
            "columns.csv",
            format!("Name{}\nAcme\n", ",".repeat(1 << 20)).into_bytes(),
            "'columns.csv' has 1,048,577 columns in its header row; a customer list has far \
             fewer (at most 1,000 are read). Check that it is a CSV file with a header row.",
        ),
        (
            "long-header.csv",
            format!("Name,{}\nAcme,x\n", "y".repeat(2_000)).into_bytes(),
            "'long-header.csv' has a column name of 2,000 characters in its header row",
        ),
        (
            "binary.csv",
            vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3],
            "'binary.csv' is not a text file",
        ),
        (
            "noname.csv",
            b"City,Zip code\nBerlin,10115\n".to_vec(),
            "'noname.csv' has no name column, so no customer can be read from it. Columns found: 'City', 'Zip code'.",
        ),
        (
            "open-quote.csv",
            format!("\"Name,City\n{}", "Acme,Berlin\n".repeat(10_000)).into_bytes(),
            "'open-quote.csv' has a quote (\") in its header row that is never closed, so the \
             header took in the whole file and no customer is left to read. Close the quote or \
             remove it.",
        ),
        (
            "late-quote.csv",
            b"\"Customer,City\nAcme,Berlin\nBeta\",Rome\nGamma,Oslo\n".to_vec(),
            "'late-quote.csv' has no name column, so no customer can be read from it. Columns \
             found: 'Customer,City…', 'Rome'. A quote (\") in the header row is not closed \
             where it should be, so the header took in the lines after it; close the quote or \
             remove it.",
        ),
        (
            "long-header.csv",
            format!("{},City\nAcme,Berlin\n", "x".repeat(1000)).into_bytes(),
            "Columns found: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…', 'City'. Head",
        ),
    ];
    for (file, bytes, message) in cases {
        let err = run(&store, &write(&db, file, &bytes), ImportOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Refused(_)), "{file}: {err:?}");
        assert!(err.to_string().contains(message), "{file}: {err}");
    }
    let missing = run(
        &store,
        &db.dir.path().join("nope.csv"),
        ImportOptions::default(),
    );
    assert!(missing.unwrap_err().to_string().contains("nope.csv"));
    assert_eq!(all(&store), before);
}

/// A row that runs on past 8 MB (a file that is not CSV after all, or a quote left open in a
/// big file) stops the import — nothing is written — instead of filling memory with it.
#[test]
fn a_row_that_never_ends_is_refused_and_nothing_is_written() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let before = all(&store);
    let run_on = 9 << 20;
    // 5,000 rows first: more than the start of the file that is looked at for binary data.
    let mut rows = String::from("Name,City\n");
    for i in 0..5_000 {
        rows += &format!("Firm {i},Town\n");
    }
    for (file, head, fill) in [
        ("nul.csv", rows.clone(), 0u8),
        ("open.csv", rows.clone() + "Beta,\"Bonn\n", b'x'),
    ] {
        let mut bytes = head.into_bytes();
        bytes.resize(bytes.len() + run_on, fill);
        bytes.extend_from_slice(b"\nGamma,Graz\n");
        let err = run(&store, &write(&db, file, &bytes), ImportOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "'{file}' cannot be imported: the row after line 5001 runs on for more than 8 MB \
                 without ending, and no customer row is that long. Check that it is a CSV file; \
                 a quote (\") left open can cause this too. Nothing was imported."
            ),
        );
        assert_eq!(all(&store), before, "{file}: nothing written");
        std::fs::remove_file(db.dir.path().join(file)).unwrap();
    }
}

#[test]
fn row_errors_name_the_row_the_column_and_the_problem() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let long = "x".repeat(250);
    let huge = "y".repeat(5_000_000);
    let csv = format!(
        "Name,Customer ID,Country,URL,Validity\n\
         Good,good,DE,,\n\
         Atlantis Ltd,atl,Atlantis,,\n\
         {long},long,,,\n\
         ,noname,,,\n\
         Bad Url,url,,not a url,\n\
         Bad Id,bad id!,,,\n\
         Weird,weird,,,sometimes\n\
         Too,many,DE,,,extra\n\
         Huge,huge,,,\n\
         \"{huge}\",huge2,,,\n\
         Short,short\n\
         Big,big,{huge},,\n"
    );
    let report = import(&store, &write(&db, "bad.csv", csv.as_bytes()));
    assert_eq!(report.rows_read, 12);
    assert_eq!((report.inserted, report.invalid, report.skipped), (3, 9, 9));
    let m = messages(&report);
    assert_eq!(m[0], "Row 3, Country: 'Atlantis' is not a country.");
    assert_eq!(
        m[1],
        "Row 4, Name: Too long: 250 characters; at most 200 are allowed."
    );
    assert_eq!(m[2], "Row 5, Name: A customer needs a name.");
    assert!(
        m[3].starts_with("Row 6, URL: 'not a url' is not a web address"),
        "{}",
        m[3]
    );
    assert!(
        m[4].starts_with("Row 7, Customer ID: 'bad id!' is not a valid customer ID"),
        "{}",
        m[4]
    );
    assert!(
        m[5].starts_with("Row 8, Validity: 'sometimes' is not a validity"),
        "{}",
        m[5]
    );
    assert!(
        m[6].starts_with("Row 9: 6 values, but the header has 5 columns"),
        "{}",
        m[6]
    );
    assert!(
        m[7].starts_with("Row 11, Name: Too long: 5,000,000 characters"),
        "{}",
        m[7]
    );
    // A message quotes at most 60 characters of a value.
    assert_eq!(
        m[8],
        format!("Row 13, Country: '{}…' is not a country.", "y".repeat(60))
    );
    assert_eq!(m.len(), 9);
    // A short row gets empty fields.
    assert_eq!(get(&store, "short").country, None);
    assert_eq!(get(&store, "good").country.as_deref(), Some("DE"));
}

/// The same ID typed composed ("é") and decomposed ("e" + combining accent, as macOS writes
/// it) is one ID: the second row is a duplicate, and the ID is stored composed.
#[test]
fn ids_that_differ_only_in_unicode_composition_are_one_id() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Customer ID,Name\ncafe\u{301}-noir,A\ncaf\u{e9}-noir,B\n";
    let report = import(&store, &write(&db, "nfd.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.duplicates), (1, 1), "{report:?}");
    assert_eq!(get(&store, "caf\u{e9}-noir").name, "A");
}

#[test]
fn duplicates_inside_the_file_keep_the_first_and_report_the_rest() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name,ID,City\nFirst,acme,Berlin\nSecond,ACME,Köln\nNo Id Co,,\nNo Id Co,,\n";
    let report = import(&store, &write(&db, "dup.csv", csv.as_bytes()));
    assert_eq!(
        (report.inserted, report.duplicates, report.skipped),
        (2, 2, 2)
    );
    assert_eq!(get(&store, "acme").name, "First");
    let m = messages(&report);
    assert!(
        m[0].starts_with("Row 3, ID: The customer ID 'ACME' already appears in row 2"),
        "{m:?}"
    );
    assert!(
        m[1].starts_with(
            "Row 5, Name: 'No Id Co' (customer ID 'no-id-co') already appears in row 4"
        ),
        "{m:?}"
    );
}

#[test]
fn existing_ids_are_errors_unless_updating_and_updates_keep_unmapped_fields() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    store
        .create_customer(CustomerFields {
            customer_id: Some("acme".into()),
            name: Some("Acme".into()),
            street: Some("Main St 1".into()),
            city: Some("Berlin".into()),
            ..Default::default()
        })
        .unwrap();
    let file = write(
        &db,
        "u.csv",
        b"Customer ID,Name,City\nacme,Acme AG,Hamburg\nnew,New Co,Wien\n",
    );

    let report = import(&store, &file);
    assert_eq!((report.inserted, report.updated, report.skipped), (1, 0, 1));
    assert_eq!(
        messages(&report),
        vec!["Row 2, Customer ID: A customer with the ID 'acme' already exists (\u{201c}Acme\u{201d}); choose 'Update existing' to update it."]
    );
    assert_eq!(get(&store, "acme").city.as_deref(), Some("Berlin"));
    let new_before = get(&store, "new");

    let report = run(&store, &file, updating()).unwrap();
    assert_eq!(
        (
            report.inserted,
            report.updated,
            report.unchanged,
            report.skipped
        ),
        (0, 1, 1, 0),
        "'new' is already as the file has it: {report:?}"
    );
    assert_eq!(
        report.summary(),
        "Imported: 0 added, 1 updated, 1 unchanged, 0 skipped of 2 rows read."
    );
    assert_eq!(get(&store, "new"), new_before, "not even its Updated time");
    let acme = get(&store, "acme");
    assert_eq!(
        (acme.name.as_str(), acme.city.as_deref()),
        ("Acme AG", Some("Hamburg"))
    );
    assert_eq!(
        acme.street.as_deref(),
        Some("Main St 1"),
        "a column the file lacks is kept"
    );

    // A short row's missing value is empty, and an empty value clears its field.
    let short = write(&db, "short.csv", b"Customer ID,Name,City\nacme,Acme AG\n");
    let update = updating();
    let report = run(&store, &short, update).unwrap();
    assert_eq!(report.updated, 1, "{report:?}");
    assert_eq!(get(&store, "acme").city, None);
}

#[test]
fn a_name_whose_id_is_taken_gets_the_next_free_id() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    store.create_customer(named("Acme Corp")).unwrap();
    let report = import(
        &store,
        &write(&db, "n.csv", "Name\nAcme Corp\n!!!\n".as_bytes()),
    );
    assert_eq!(report.inserted, 1, "{report:?}");
    assert_eq!(get(&store, "acme-corp-2").name, "Acme Corp");
    // A name no one could see or find is a row error, not a customer "customer-3".
    assert_eq!(
        messages(&report),
        ["Row 3, Name: A customer's name needs at least one letter or digit that can be seen, so \
          that it can be told apart and found."]
    );
    // Seldom what a second import of one list means: the report says so, with the first row.
    assert_eq!(
        report.notice.as_deref(),
        Some(
            "1 row had no customer ID and the name of a stored customer, so it was added as a \
             new customer beside it (row 2, \u{201c}Acme Corp\u{201d}: 'acme-corp-2' next to \
             'acme-corp')."
        )
    );

    // The same list again, previewed: both rows would be added again beside the stored ones.
    let csv = "Name\nAcme Corp\nFresh Ltd\nAcme Corp 2\n";
    let options = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    let report = run(&store, &write(&db, "again.csv", csv.as_bytes()), options).unwrap();
    assert_eq!(report.added_beside, 2, "{report:?}");
    assert_eq!(
        report.notice.as_deref(),
        Some(
            "2 rows have no customer ID and the name of a stored customer, so they will be \
             added as new customers beside them (row 2, \u{201c}Acme Corp\u{201d}: \
             'acme-corp-3' next to 'acme-corp')."
        )
    );
    // With "Update existing" they are those customers: nothing to say.
    let report = run(&store, &write(&db, "again.csv", csv.as_bytes()), updating()).unwrap();
    assert_eq!((report.added_beside, report.notice), (0, None));
}

#[test]
fn with_update_existing_a_file_without_ids_matches_the_id_each_name_gets() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    store.create_customer(named("Acme Corp")).unwrap();
    let file = write(
        &db,
        "n.csv",
        "Name,City\nAcme Corp,Hamburg\nNew One,Bonn\n".as_bytes(),
    );
    let options = updating();
    let report = run(&store, &file, options).unwrap();
    assert_eq!(
        (report.inserted, report.updated, report.skipped),
        (1, 1, 0),
        "{report:?}"
    );
    assert_eq!(get(&store, "acme-corp").city.as_deref(), Some("Hamburg"));
    assert_eq!(
        store.count_customers().unwrap(),
        3,
        "own company, Acme, New One"
    );
}

#[test]
fn strict_mode_and_dry_run_write_nothing() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let file = write(&db, "s.csv", b"Name,Country\nGood,DE\nBad,Atlantis\n");
    let before = all(&store);

    let report = run(
        &store,
        &file,
        ImportOptions {
            strict: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(report.aborted && !report.written);
    assert_eq!((report.inserted, report.updated, report.skipped), (0, 0, 2));
    assert_eq!(
        messages(&report),
        vec!["Row 3, Country: 'Atlantis' is not a country."]
    );
    assert_eq!(all(&store), before);

    let report = run(
        &store,
        &file,
        ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(report.dry_run && !report.written);
    assert_eq!((report.inserted, report.skipped), (1, 1));
    assert_eq!(all(&store), before);

    let report = import(&store, &file);
    assert!(report.written);
    assert_eq!(names(&store), vec!["Good", "My company"]);
}

/// Large enough for bulk mode (indexes dropped and rebuilt inside the transaction).
fn big_csv(db: &TempDb, rows: usize) -> PathBuf {
    let mut text = String::from("Customer ID,Name,City,Country,Comment\n");
    for i in 0..rows {
        text += &format!("firm-{i},Firm {i} Logistik,Köln,DE,\"Note, {i}\"\n");
    }
    write(db, "big.csv", text.as_bytes())
}

#[test]
fn a_cancelled_import_leaves_the_database_exactly_as_it_was() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    store.create_customer(named("Existing")).unwrap();
    let file = big_csv(&db, 30_000);
    let schema = schema_of(&store).unwrap();
    let before = all(&store);
    for stop_after in [1, 5, 14] {
        let mut calls = 0;
        let err = transfer::import(&store, &file, ImportOptions::default(), &mut |_| {
            calls += 1;
            calls < stop_after
        })
        .unwrap_err();
        assert!(matches!(err, Error::Cancelled), "{err:?}");
        assert_eq!(all(&store), before);
        assert_eq!(
            schema_of(&store).unwrap(),
            schema,
            "indexes and triggers are all back"
        );
    }
    // Cancelled while the indexes were being rebuilt (the last progress call).
    let err = transfer::import(&store, &file, ImportOptions::default(), &mut |p| {
        p.phase != transfer::Phase::Indexing
    })
    .unwrap_err();
    assert!(matches!(err, Error::Cancelled));
    assert_eq!(all(&store), before);
}

#[test]
fn a_bulk_import_still_finds_every_customer_already_there() {
    // Bulk mode answers "is this ID taken?" from the IDs the table held when the import began;
    // each kind of clash must still be found, in any ASCII case, late in a big file.
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    for (id, name) in [
        ("acme", "Acme"),
        ("firm-42", "Old Firm"),
        ("zeta-gmbh", "Zeta GmbH"),
    ] {
        store
            .create_customer(CustomerFields {
                customer_id: Some(id.into()),
                name: Some(name.into()),
                ..Default::default()
            })
            .unwrap();
    }
    let mut text = String::from("Customer ID,Name\n");
    for i in 0..6_000 {
        text += &format!("new-{i},New {i}\n");
    }
    // Rows 6002..6005: a clash in another case, a clash with the own company, a name whose
    // slug is taken, and a later row claiming the ID that name then got.
    text += "ACME,Acme Again\nMY-COMPANY,Not Mine\n,Zeta GmbH\nzeta-gmbh-2,Late Claim\n";
    let file = write(&db, "bulk.csv", text.as_bytes());

    let report = import(&store, &file);
    assert_eq!(
        (report.inserted, report.skipped),
        (6_001, 3),
        "{:?}",
        report.errors
    );
    assert_eq!(
        messages(&report),
        vec![
            "Row 6002, Customer ID: 'ACME' is taken: the customer ID 'acme' (\u{201c}Acme\u{201d}) differs only in case, and customer IDs are compared without it. Give this row another ID, or to update that customer write its ID as 'acme' and choose 'Update existing'.",
            "Row 6003, Customer ID: 'MY-COMPANY' is taken: the customer ID 'my-company' (\u{201c}My company\u{201d}) differs only in case, and customer IDs are compared without it. Give this row another ID, or to update that customer write its ID as 'my-company' and choose 'Update existing'.",
            "Row 6005, Customer ID: The customer ID 'zeta-gmbh-2' was already given to row 6004, which has no ID of its own (it was made from its name); the first occurrence is imported, this row is skipped. Give one of the two rows another ID.",
        ]
    );
    assert_eq!(get(&store, "acme").name, "Acme");
    assert_eq!(get(&store, "zeta-gmbh-2").name, "Zeta GmbH");

    // With "Update existing", a big file finds what is there in any case: in the stored case
    // it updates it; in another it names the stored ID (such IDs may be another tool's, which
    // tells case apart) and changes nothing.
    let update = updating();
    for (case, upper) in [("another case", true), ("the stored case", false)] {
        let mut text = String::from("Customer ID,Name\n");
        for i in 0..6_000 {
            text += &format!("new-{i},Renamed {i}\n");
        }
        text += "firm-42,Firm Renamed\n";
        if upper {
            text = text
                .to_uppercase()
                .replace("CUSTOMER ID,NAME", "Customer ID,Name");
        }
        let report = run(&store, &write(&db, "bulk2.csv", text.as_bytes()), update).unwrap();
        let (updated, invalid) = if upper { (0, 6_001) } else { (6_001, 0) };
        assert_eq!(
            (report.updated, report.invalid),
            (updated, invalid),
            "{case}"
        );
        if upper {
            assert!(
                messages(&report)[6_000].starts_with(
                    "Row 6002, Customer ID: 'FIRM-42' matches the customer ID 'firm-42'"
                ),
                "{:?}",
                messages(&report).last()
            );
            assert_eq!(get(&store, "firm-42").name, "Old Firm");
        }
    }
    assert_eq!(get(&store, "firm-42").name, "Firm Renamed");
    assert_eq!(get(&store, "new-5999").name, "Renamed 5999");
}

#[test]
fn a_bulk_import_leaves_the_schema_as_it_was_and_everything_searchable() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let schema = schema_of(&store).unwrap();
    let report = import(&store, &big_csv(&db, 12_000));
    assert_eq!(report.inserted, 12_000);
    assert_eq!(schema_of(&store).unwrap(), schema);
    // The write-ahead log, as big as all that was written, is copied into the file and emptied
    // in the background (the file is still open: closing it would empty the log anyway).
    store.wait_for_checkpoint();
    let wal = std::fs::metadata(format!("{}-wal", db.path.display())).unwrap();
    assert_eq!(wal.len(), 0, "the write-ahead log after a bulk import");
    let q = ListQuery {
        search: "firm 1199".into(),
        ..Default::default()
    };
    assert_eq!(
        store.view_total(&q).unwrap(),
        11,
        "firm 1199 and 11990..11999"
    );
    // The search index follows edits made after a bulk import (its triggers are back).
    store
        .update_customer(
            "firm-7",
            CustomerFields {
                name: Some("Renamed Zebra".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let zebra = ListQuery {
        search: "zebra".into(),
        ..Default::default()
    };
    assert_eq!(
        store.window(&zebra, 0, 10).unwrap().rows[0].customer_id,
        "firm-7"
    );
    // Integrity of the file and of the search index.
    let ok: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    search_index_is_consistent(&db.path);
}

fn tricky_customers(store: &Store) {
    store
        .update_customer(
            "my-company",
            CustomerFields {
                name: Some("Example MSP GmbH".into()),
                street: Some("Hauptstraße 5".into()),
                city: Some("Köln".into()),
                country: Some("DE".into()),
                ..Default::default()
            },
        )
        .unwrap();
    // (customer ID, name, city, comment, validity)
    type Tricky<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, &'a str);
    let customers: &[Tricky] = &[
        (
            "formula",
            "=HYPERLINK(\"http://evil\",\"x\")",
            Some("+49 30 1234"),
            Some("-5 °C\nsecond line"),
            "valid",
        ),
        (
            "at-sign",
            "@SUM(1+1)",
            Some("'=already quoted"),
            None,
            "invalid",
        ),
        (
            "hooft",
            "'t Hooft BV",
            Some("'s-Hertogenbosch"),
            Some("\"quoted\", with comma; and semicolon"),
            "invalid-temporarily",
        ),
        ("cjk", "東京システム株式会社", Some("東京"), None, "valid"),
        (
            "rtl",
            "شركة القاهرة للبرمجيات",
            Some("القاهرة"),
            Some("עברית"),
            "valid",
        ),
        ("emoji", "Rocket 🚀 Labs 👩‍💻", None, Some("🎉"), "valid"),
        (
            "combining",
            "Cafe\u{301} Ame\u{301}lie",
            Some("Zu\u{308}rich"),
            None,
            "valid",
        ),
        (
            "tabs",
            "Tab\tInside",
            None,
            Some("\ttab first\r\nCRLF"),
            "valid",
        ),
    ];
    for (id, name, city, comment, validity) in customers {
        let result = store.create_customer(CustomerFields {
            customer_id: Some((*id).into()),
            name: Some((*name).into()),
            city: city.map(Into::into),
            comment: comment.map(Into::into),
            url: Some(format!("{id}.example")),
            validity: Some((*validity).into()),
            ..Default::default()
        });
        // Names with a tab are refused by the rules; the rest must be stored.
        if name.contains('\t') {
            assert!(result.is_err());
            store
                .create_customer(CustomerFields {
                    customer_id: Some((*id).into()),
                    name: Some("Tab Free".into()),
                    comment: comment.map(Into::into),
                    ..Default::default()
                })
                .unwrap();
        } else {
            result.unwrap();
        }
    }
    // Autotask mappings travel too (the own company may be mapped like any other).
    for (id, company, name, active) in [
        ("formula", 301, "=Evil Formula Corp", true),
        ("my-company", 0, "Example MSP GmbH", false),
    ] {
        let company = clientbook::autotask::Company {
            id: company,
            name: name.into(),
            number: None,
            city: None,
            active,
        };
        store.map_customer(id, &company).unwrap();
    }
}

/// A new database with [`tricky_customers`], and its whole export (no BOM) beside it.
fn tricky_export() -> (TempDb, Store, PathBuf) {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    tricky_customers(&store);
    let file = db.dir.path().join("export.csv");
    transfer::export(
        &store,
        &ListQuery::default(),
        &file,
        ExportOptions::default(),
    )
    .unwrap();
    (db, store, file)
}

#[test]
fn export_then_import_into_an_empty_database_reproduces_every_customer() {
    let source_db = temp_db();
    let source = Store::open(&source_db.path).unwrap();
    tricky_customers(&source);
    // The copies are made later than the originals, so timestamps taken at import time could
    // not pass for them.
    std::thread::sleep(std::time::Duration::from_millis(20));
    for bom in [false, true] {
        let file = source_db.dir.path().join(format!("export-{bom}.csv"));
        let n =
            transfer::export(&source, &ListQuery::default(), &file, ExportOptions { bom }).unwrap();
        assert_eq!(n, 9);
        let text = std::fs::read(&file).unwrap();
        assert_eq!(text.starts_with(b"\xEF\xBB\xBF"), bom);
        let target_db = temp_db();
        let target = Store::open(&target_db.path).unwrap();
        let report = import(&target, &file);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(
            (report.inserted, report.updated),
            (8, 1),
            "the own company is filled in"
        );
        // Every field, the own company's included, down to when each was created and updated.
        assert_eq!(all(&source), all(&target));
    }
}

/// Re-importing an export with "Update existing" (the consultant's file back from another
/// machine) changes only the customers that differ: the others keep their Updated time and get
/// no history entry.
#[test]
fn updating_from_an_unchanged_export_writes_only_what_differs() {
    let (_db, store, file) = tricky_export();
    let history = |id: &str| store.history(id, None, 100).unwrap().len();
    let before = all(&store);
    let hooft_history = history("hooft");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let update = updating();

    let report = run(&store, &file, update).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (0, 0, 9),
        "the own company and every mapping included"
    );
    assert!(!report.written);
    assert_eq!(all(&store), before);
    assert_eq!(history("hooft"), hooft_history);

    // One customer edited here since the export (and one unmapped): the file puts both back.
    store
        .update_customer(
            "hooft",
            CustomerFields {
                city: Some("Utrecht".into()),
                ..Default::default()
            },
        )
        .unwrap();
    store.unmap_customer("formula").unwrap();
    let report = run(&store, &file, update).unwrap();
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (0, 2, 7)
    );
    let hooft = get(&store, "hooft");
    assert_eq!(hooft.city.as_deref(), Some("'s-Hertogenbosch"));
    assert_eq!(
        history("hooft"),
        hooft_history + 2,
        "the edit and its undoing"
    );
    assert_eq!(
        get(&store, "formula").autotask.map(|m| m.company_id),
        Some(301)
    );
    let unchanged = |list: Vec<Customer>| -> Vec<Customer> {
        list.into_iter()
            .filter(|c| c.customer_id != "hooft" && c.customer_id != "formula")
            .collect()
    };
    assert_eq!(unchanged(all(&store)), unchanged(before));

    // A new database's own company, never edited, is unchanged by its own export too.
    let fresh = temp_db();
    let store = Store::open(&fresh.path).unwrap();
    let own = fresh.dir.path().join("own.csv");
    transfer::export(
        &store,
        &ListQuery::default(),
        &own,
        ExportOptions::default(),
    )
    .unwrap();
    let report = run(&store, &own, update).unwrap();
    assert_eq!((report.updated, report.unchanged), (0, 1), "{report:?}");
}

#[test]
fn created_and_updated_columns_date_new_customers_and_are_checked() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let file = "Name;Created at;Updated;Date created\n\
                Both;2021-03-04T05:06:07.890+02:00;2022-01-01 12:00;6/30/2021\n\
                Date only;2020-02-29;;\n\
                No dates;;;\n\
                Updated only;;2000-01-01;\n\
                Bad date;31.12.2020;;\n\
                Backwards;2022-01-01;2021-01-01T00:00:00Z;\n\
                Far future;9999-12-31 23:30:00 -0100;;\n";
    let report = import(&store, &write(&db, "dated.csv", file.as_bytes()));
    // Another tool's date column, in its local format, is ignored rather than read.
    assert_eq!(report.ignored_columns, ["Date created"]);
    assert_eq!(
        messages(&report),
        [
            "Row 6, Created at: '31.12.2020' is not a date and time; write it as \
             2026-11-23T14:05:00Z, 2026-11-23 14:05:00 or 2026-11-23.",
            "Row 7, Updated: '2021-01-01T00:00:00Z' is before Created at ('2022-01-01'); a \
             customer cannot be updated before it was created.",
            "Row 8, Created at: '9999-12-31 23:30:00 -0100' is out of range: Clientbook keeps \
             dates from the year 1000 to 9999 (in UTC).",
        ]
    );
    assert_eq!(report.inserted, 4);
    let stamps = |id: &str| {
        let c = get(&store, id);
        (c.created_at, c.updated_at)
    };
    assert_eq!(
        stamps("both"),
        (
            "2021-03-04T03:06:07.890Z".to_owned(),
            "2022-01-01T12:00:00.000Z".to_owned()
        ),
        "offsets become UTC"
    );
    assert_eq!(
        stamps("date-only"),
        (
            "2020-02-29T00:00:00.000Z".to_owned(),
            "2020-02-29T00:00:00.000Z".to_owned()
        ),
        "updated when created"
    );
    // Without a Created the customer is created now, and an older Updated cannot precede it.
    let own = get(&store, "my-company").created_at;
    let (created, updated) = stamps("no-dates");
    assert!(created >= own && updated == created, "{created} {updated}");
    assert_eq!(stamps("updated-only"), (created.clone(), created));
}

#[test]
fn exported_formulas_are_inert_in_spreadsheets() {
    let (_db, _store, file) = tricky_export();
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "Customer ID",
            "Name",
            "Street",
            "ZIP",
            "City",
            "Country",
            "URL",
            "Comment",
            "Validity",
            "Own company",
            "Autotask company ID",
            "Autotask company",
            "Autotask status",
            "Autotask checked",
            "Created",
            "Updated",
        ]
    );
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            let first = cell.chars().next();
            assert!(
                !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                "cell starts like a formula: {cell:?}"
            );
        }
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("'=HYPERLINK("));
    assert!(text.contains("''=already quoted"));
    assert!(
        text.contains(",'t Hooft BV,"),
        "a genuine apostrophe is not doubled"
    );
}

#[test]
fn foreign_escaped_formulas_are_undone_but_genuine_apostrophes_kept() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name,City\n'=1+2 GmbH,'s-Hertogenbosch\n't Hooft BV,'-Town\n";
    let report = import(&store, &write(&db, "f.csv", csv.as_bytes()));
    assert_eq!(report.inserted, 2);
    let by_name: Vec<(String, Option<String>)> =
        all(&store).into_iter().map(|c| (c.name, c.city)).collect();
    assert!(by_name.contains(&("=1+2 GmbH".into(), Some("'s-Hertogenbosch".into()))));
    assert!(by_name.contains(&("'t Hooft BV".into(), Some("-Town".into()))));
}

#[test]
fn unicode_names_import_exactly_and_are_searchable() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name\n東京システム\nשלום בע\"מ\nمرحبا\nRocket 🚀\nCafe\u{301} Noir\n";
    let report = import(&store, &write(&db, "u.csv", csv.as_bytes()));
    assert_eq!(report.inserted, 5, "{report:?}");
    let got = names(&store);
    for name in [
        "東京システム",
        "שלום בע\"מ",
        "مرحبا",
        "Rocket 🚀",
        "Cafe\u{301} Noir",
    ] {
        assert!(got.iter().any(|n| n == name), "{name} in {got:?}");
    }
    for (search, expect) in [
        ("東京", "東京システム"),
        ("שלום", "שלום בע\"מ"),
        ("rocket", "Rocket 🚀"),
        ("café", "Cafe\u{301} Noir"),
    ] {
        let q = ListQuery {
            search: search.into(),
            ..Default::default()
        };
        let w = store.window(&q, 0, 10).unwrap();
        assert_eq!(
            w.rows.first().map(|c| c.name.as_str()),
            Some(expect),
            "{search}"
        );
    }
}

#[test]
fn the_error_report_is_a_csv_of_row_column_message() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let report = import(
        &store,
        &write(&db, "e.csv", b"Name,Country\nA,Atlantis\n=B,Nowhere\n"),
    );
    // The file changed since it was imported (put right in a spreadsheet, say): its rows are
    // not read again, and the report has the errors alone.
    let source = db.dir.path().join("e.csv");
    std::fs::write(&source, "Name,Country\nA,AT\nB,NO\n").unwrap();
    let out = db.dir.path().join("errors.csv");
    transfer::write_error_report(&out, &report, None).unwrap();
    let read = |path: &Path| -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(path)
            .unwrap();
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };
    let rows = read(&out);
    assert_eq!(rows[0], ["Row", "Column", "Message"]);
    assert_eq!(rows[1], ["2", "Country", "'Atlantis' is not a country."]);
    assert_eq!(rows[2], ["3", "Country", "'Nowhere' is not a country."]);
}

/// With the imported file as it was, the report has each problem row's values in the file's own
/// columns, a line per row: the user puts them right in the report and imports it, and the rows
/// come in exactly (a formula-like name included).
#[test]
fn the_error_report_holds_the_rows_to_put_right_and_import_again() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let source = write(
        &db,
        "e.csv",
        b"Name;Country;Website;Phone\nGood;DE;;1\nA;Atlantis;;2\n=B;Nowhere;;3\n\
          D;Neverland;mailto:d@d.example;4\n",
    );
    let report = import(&store, &source);
    let out = db.dir.path().join("errors.csv");
    assert_eq!(
        transfer::write_error_report(&out, &report, None).unwrap(),
        3
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        text,
        "\u{feff}Row,Column,Message,Name,Country,Website,Phone\n\
         3,Country,'Atlantis' is not a country.,A,Atlantis,,2\n\
         4,Country,'Nowhere' is not a country.,'=B,Nowhere,,3\n\
         5,\"Country, Website\",\"'Neverland' is not a country. 'mailto:d@d.example' is an \
         email address, not a web address.\",D,Neverland,mailto:d@d.example,4\n"
    );
    let fixed = text
        .replace("Atlantis,,", "AT,,")
        .replace("Nowhere,,", "NO,,")
        .replace("Neverland,mailto:d@d.example,", "IS,d.example,");
    let again = import(&store, &write(&db, "fixed.csv", fixed.as_bytes()));
    assert!(again.errors.is_empty(), "{:?}", messages(&again));
    assert_eq!(again.inserted, 3);
    assert_eq!(again.ignored_columns, ["Row", "Column", "Message", "Phone"]);
    assert_eq!(get(&store, "a").country.as_deref(), Some("AT"));
    assert_eq!(get(&store, "d").url.as_deref(), Some("https://d.example"));
    assert!(all(&store)
        .iter()
        .any(|c| c.name == "=B" && c.country.as_deref() == Some("NO")));

    // A source that cannot be read again: the errors alone.
    std::fs::remove_file(&source).unwrap();
    transfer::write_error_report(&out, &report, None).unwrap();
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("\u{feff}Row,Column,Message\n"));
}

/// An export and an error report are for sharing: others may read them as the umask allows,
/// as with any file a program saves — not only their owner, as with a temporary file.
#[cfg(unix)]
#[test]
fn exported_files_are_readable_as_the_umask_allows() {
    use std::os::unix::fs::PermissionsExt;
    let (db, store, file) = tricky_export();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // What this process's umask makes of a file any program creates.
    let plain = db.dir.path().join("plain.txt");
    std::fs::write(&plain, "x").unwrap();
    assert_eq!(mode(&file), mode(&plain));
    let report = import(&store, &write(&db, "e.csv", b"Name,Country\nA,Atlantis\n"));
    let errors = db.dir.path().join("errors.csv");
    transfer::write_error_report(&errors, &report, None).unwrap();
    assert_eq!(mode(&errors), mode(&plain));
}

#[test]
fn autotask_mapping_columns_are_read_and_checked() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let csv = "Name,Autotask company ID,Autotask company,Autotask status\n\
               Mapped,42,Acme Inc,renamed\n\
               Unmapped,,,\n\
               Bad Id,forty-two,,\n\
               Bad Status,7,X,perhaps\n";
    let report = import(&store, &write(&db, "m.csv", csv.as_bytes()));
    assert_eq!((report.inserted, report.invalid), (2, 2), "{report:?}");
    let m = get(&store, "mapped").autotask.unwrap();
    assert_eq!((m.company_id, m.company_name.as_str()), (42, "Acme Inc"));
    assert_eq!(m.status.as_str(), "renamed");
    assert_eq!(get(&store, "unmapped").autotask, None);
    assert_eq!(
        messages(&report),
        vec![
            "Row 4, Autotask company ID: 'forty-two' is not an Autotask company id (a whole number).",
            "Row 5, Autotask status: 'perhaps' is not a mapping status: use ok, renamed, missing or invalid.",
        ]
    );
}

/// FTS5's own check that the search index matches the customers table.
fn search_index_is_consistent(path: &Path) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute(
            "INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')",
            [],
        )
        .unwrap();
}

/// Undo of an import: the customers it added go (with their groups and history entries), the
/// ones it changed — fields, Autotask mapping, Updated time — are exactly as before, its history
/// entries are gone, and the search index follows. Users of a changed customer stay.
#[test]
fn undo_takes_an_import_back_exactly() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    add(&store, "Alpha Bau", "Köln");
    add(&store, "Beta Handel", "Bonn");
    let company = clientbook::autotask::Company {
        id: 7,
        name: "Beta Handel GmbH".into(),
        number: None,
        city: None,
        active: true,
    };
    store.map_customer("beta-handel", &company).unwrap();
    store
        .add_user(
            "alpha-bau",
            clientbook::model::UserFields {
                username: Some("jdoe".into()),
                password: Some("a long enough password".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let before = all_rows(&db.path);

    let csv = "Customer ID,Name,City,Autotask company ID,Autotask company,Autotask status\n\
               alpha-bau,Alpha Bau,Düsseldorf,,,\n\
               beta-handel,Beta Handel,Bonn,9,Beta Neu,renamed\n\
               gamma,Gamma Zeppelin,Aachen,,,\n\
               delta,Delta Werft,Kiel,,,\n";
    let report = run(&store, &write(&db, "u.csv", csv.as_bytes()), updating()).unwrap();
    assert_eq!((report.inserted, report.updated), (2, 2), "{report:?}");
    assert_eq!(search_ids(&store, "zeppelin"), ["gamma"]);
    assert_ne!(all_rows(&db.path), before);

    let undone = store
        .undo_import(report.undo.expect("an undo token"))
        .unwrap();
    assert_eq!(
        undone,
        clientbook::store::UndoneImport {
            removed: 2,
            restored: 2
        }
    );
    assert_eq!(all_rows(&db.path), before, "the database is as it was");
    assert!(search_ids(&store, "zeppelin").is_empty());
    assert_eq!(search_ids(&store, "köln"), ["alpha-bau"]);
    assert!(search_ids(&store, "düsseldorf").is_empty());
    search_index_is_consistent(&db.path);

    let again = store.undo_import(report.undo.unwrap()).unwrap_err();
    assert_eq!(again.kind(), "refused");
    assert_eq!(
        again.to_string(),
        "That import can no longer be undone: it was undone already, or another import came \
         after it."
    );
    assert_eq!(all_rows(&db.path), before);
}

/// A change after the import (here an edit of a customer it added) ends its Undo: the undo is
/// refused with a sentence and nothing is changed. A later import's Undo replaces an earlier
/// one's, and an import that wrote nothing offers none.
#[test]
fn undo_of_an_import_is_refused_once_something_changed_after_it() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    let first = import(&store, &write(&db, "a.csv", b"Name\nAlpha\nBeta\n"));
    let after_first = all_rows(&db.path);
    let second = import(&store, &write(&db, "b.csv", b"Name\nGamma\n"));
    let err = store.undo_import(first.undo.unwrap()).unwrap_err();
    assert_eq!(err.kind(), "refused");
    store.undo_import(second.undo.unwrap()).unwrap();
    assert_eq!(
        all_rows(&db.path),
        after_first,
        "only the second import is gone"
    );

    let third = import(&store, &write(&db, "c.csv", b"Name\nDelta\n"));
    store
        .update_customer(
            "delta",
            CustomerFields {
                city: Some("Kiel".into()),
                ..named("Delta")
            },
        )
        .unwrap();
    let edited = all_rows(&db.path);
    let err = store.undo_import(third.undo.unwrap()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The import can no longer be undone: customers have been added, changed or deleted \
         since."
    );
    assert_eq!(all_rows(&db.path), edited, "nothing was changed");

    let nothing = import(&store, &write(&db, "d.csv", b"Name\n\n"));
    assert_eq!(nothing.undo, None);
    let dry = run(
        &store,
        &write(&db, "e.csv", b"Name\nEpsilon\n"),
        ImportOptions {
            dry_run: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(dry.undo, None);
}

/// A large import, undone: bulk mode again (indexes and search triggers dropped and made
/// again), and the schema, the rows and the search index are as before.
#[test]
fn undo_of_a_bulk_import_restores_schema_rows_and_search_index() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    add(&store, "Alpha Bau", "Köln");
    let schema = schema_of(&store).unwrap();
    let before = all_rows(&db.path);
    let csv = db.dir.path().join("big.csv");
    clientbook::sample::write_csv(&csv, 20_000).unwrap();
    let report = import(&store, &csv);
    assert_eq!(report.inserted, 20_000);
    let undone = store.undo_import(report.undo.unwrap()).unwrap();
    assert_eq!((undone.removed, undone.restored), (20_000, 0));
    assert_eq!(schema_of(&store).unwrap(), schema);
    store.wait_for_checkpoint();
    assert_eq!(all_rows(&db.path), before);
    search_index_is_consistent(&db.path);
    assert_eq!(search_ids(&store, "köln"), ["alpha-bau"]);
}

/// An import that changes only a customer's Autotask mapping writes a history entry that shows
/// the change (it used to write none).
#[test]
fn an_imported_mapping_change_is_in_the_history() {
    let db = temp_db();
    let store = Store::open(&db.path).unwrap();
    add(&store, "Alpha Bau", "Köln");
    let csv = "Customer ID,Name,City,Autotask company ID,Autotask company,Autotask status\n\
               alpha-bau,Alpha Bau,Köln,12,Alpha AG,ok\n";
    let report = run(&store, &write(&db, "m.csv", csv.as_bytes()), updating()).unwrap();
    assert_eq!(report.updated, 1, "{report:?}");
    let history = store.history("alpha-bau", None, 10).unwrap();
    let edit = &history[0];
    assert_eq!(
        (edit.action.as_str(), edit.entity.as_str()),
        ("edit", "customer")
    );
    assert_eq!(
        edit.before.as_ref().unwrap()["autotask"],
        serde_json::Value::Null
    );
    assert_eq!(edit.after.as_ref().unwrap()["autotask"]["company_id"], 12);
}

// ---- bulk mode: what a large import leaves behind ------------------------------------------

/// A new database file and a CSV of 20,000 generated customers, enough for bulk mode.
fn new_store_and_big_csv() -> (crate::common::TempDb, PathBuf, Store) {
    let db = temp_db();
    let csv = db.dir.path().join("big.csv");
    clientbook::sample::write_csv(&csv, 20_000).unwrap();
    let store = Store::open(&db.path).unwrap();
    (db, csv, store)
}

/// A full disk halfway through a large import. SQLite's page limit stands in for the disk: past
/// it SQLite fails exactly as when the disk fills (SQLITE_FULL), at the same points.
#[test]
fn a_full_disk_mid_import_names_the_file_and_leaves_the_database_as_it_was() {
    use clientbook::store::import::{schema_of, writer_pragma};
    let (db, csv, store) = new_store_and_big_csv();
    let schema = schema_of(&store).unwrap();
    let counts = || clientbook::store::check(&db.path).unwrap().counts;
    let before = counts();
    // Room for a few hundred customers, not for 20,000.
    let pages = writer_pragma(&store, "page_count", None).unwrap();
    writer_pragma(&store, "max_page_count", Some(pages + 100)).unwrap();
    let err = run(&store, &csv, ImportOptions::default()).unwrap_err();
    assert_eq!(err.kind(), "not_saved");
    assert_eq!(
        err.to_string(),
        format!(
            "The import was not saved: the disk holding '{}' (or the one with the temporary \
             folder) is full. Nothing was changed; free some space and try again.",
            db.path.display()
        )
    );
    assert_eq!(counts(), before, "nothing of the import is in the file");
    assert_eq!(
        schema_of(&store).unwrap(),
        schema,
        "bulk mode's dropped indexes are back"
    );
    assert_eq!(
        writer_pragma(&store, "synchronous", None).unwrap(),
        1,
        "NORMAL again after a failed import"
    );
    writer_pragma(&store, "max_page_count", Some(i64::from(u32::MAX - 1))).unwrap();
    let report = run(&store, &csv, ImportOptions::default()).unwrap();
    assert_eq!(
        report.inserted, 20_000,
        "with space again, the same import works"
    );
}

/// The log of a bulk import is copied into the file and emptied in the background, and the
/// writer's checkpoint and sync settings are as before.
#[test]
fn a_bulk_import_empties_its_log_in_the_background_and_restores_the_writer_settings() {
    use clientbook::store::import::writer_pragma;
    let (db, csv, store) = new_store_and_big_csv();
    run(&store, &csv, ImportOptions::default()).unwrap();
    assert_eq!(
        writer_pragma(&store, "wal_autocheckpoint", None).unwrap(),
        1000
    );
    assert_eq!(
        writer_pragma(&store, "synchronous", None).unwrap(),
        1,
        "NORMAL again"
    );
    store.wait_for_checkpoint();
    let wal = std::fs::metadata(format!("{}-wal", db.path.display()))
        .unwrap()
        .len();
    assert_eq!(wal, 0, "the background checkpoint emptied the log");
    let counts = clientbook::store::check(&db.path).unwrap().counts;
    assert_eq!(counts[0], ("customers".to_owned(), 20_001));
}
