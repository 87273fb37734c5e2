//! How a file's encoding is told: UTF-8 with and without a byte-order mark, UTF-16 with and
//! without one, legacy encodings judged by the whole file, bytes that are no text anywhere.

use super::*;

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
        let (_db, store, report) = imported(file, &bytes);
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
        let (_db, store, report) = imported(file, &bytes);
        assert_eq!(
            (report.encoding.as_str(), report.delimiter.as_str()),
            (encoding, "tab"),
            "{file}"
        );
        assert_eq!((report.inserted, report.skipped), (2, 0), "{file}");
        let city = |id: &str| get(&store, id).city;
        assert_eq!(city("müller-bau").as_deref(), Some("Köln"), "{file}");
        assert_eq!(city("東京商事").as_deref(), Some("大阪"), "{file}");
    }

    // Bytes of no text encoding, NULs included, half of them on even offsets.
    let (db, store) = temp_store();
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
        let (_db, store, report) = imported(file, text);
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
    let csv = "Name,City,Comment\n\
               Acme,Berlin,\"two\nlines\"\n\
               \"Beta,Paris\nGamma,Rome\nDelta\",Oslo,\n\
               Eps,Rome,\n\
               Zeta,Graz,\"never closed\nEta,Linz,\nTheta,Wels,\n";
    let (db, store, report) = imported("quotes.csv", csv);
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
    let (db, store) = temp_store();
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
        let (db, store) = temp_store();
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
    let (db, store) = temp_store();
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
    let (db, store) = temp_store();
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
        let (db, store) = temp_store();
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
    let (db, store) = temp_store();
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
