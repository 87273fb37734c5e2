//! Row by row: files refused whole, a row that never ends, every problem named by row and
//! column, duplicates, stored IDs, the next free ID, strict and dry runs, a cancel.

use super::*;

#[test]
fn files_that_cannot_be_imported_are_refused_by_name_and_nothing_is_written() {
    let (db, store) = temp_store();
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
    let (db, store) = temp_store();
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
    let (db, store) = temp_store();
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
    assert_starts_with(
        &m[3..8],
        &[
            "Row 6, URL: 'not a url' is not a web address",
            "Row 7, Customer ID: 'bad id!' is not a valid customer ID",
            "Row 8, Validity: 'sometimes' is not a validity",
            "Row 9: 6 values, but the header has 5 columns",
            "Row 11, Name: Too long: 5,000,000 characters",
        ],
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
    let csv = "Customer ID,Name\ncafe\u{301}-noir,A\ncaf\u{e9}-noir,B\n";
    let (_db, store, report) = imported("nfd.csv", csv);
    assert_eq!((report.inserted, report.duplicates), (1, 1), "{report:?}");
    assert_eq!(get(&store, "caf\u{e9}-noir").name, "A");
}

#[test]
fn duplicates_inside_the_file_keep_the_first_and_report_the_rest() {
    let csv = "Name,ID,City\nFirst,acme,Berlin\nSecond,ACME,Köln\nNo Id Co,,\nNo Id Co,,\n";
    let (_db, store, report) = imported("dup.csv", csv);
    assert_eq!(
        (report.inserted, report.duplicates, report.skipped),
        (2, 2, 2)
    );
    assert_eq!(get(&store, "acme").name, "First");
    assert_starts_with(
        &messages(&report),
        &[
            "Row 3, ID: The customer ID 'ACME' already appears in row 2",
            "Row 5, Name: 'No Id Co' (customer ID 'no-id-co') already appears in row 4",
        ],
    );
}

#[test]
fn existing_ids_are_errors_unless_updating_and_updates_keep_unmapped_fields() {
    let (db, store) = temp_store();
    store
        .create_customer(CustomerFields {
            street: Some("Main St 1".into()),
            city: Some("Berlin".into()),
            ..with_id("Acme", "acme")
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
    let (db, store) = temp_store();
    store.create_customer(named("Acme Corp")).unwrap();
    let report = import(&store, &write(&db, "n.csv", b"Name\nAcme Corp\n!!!\n"));
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
    let report = run(&store, &write(&db, "again.csv", csv.as_bytes()), dry_run()).unwrap();
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
    let (db, store) = temp_store();
    store.create_customer(named("Acme Corp")).unwrap();
    let csv = "Name,City\nAcme Corp,Hamburg\nNew One,Bonn\n";
    let file = write(&db, "n.csv", csv.as_bytes());
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
    let (db, store) = temp_store();
    let file = write(&db, "s.csv", b"Name,Country\nGood,DE\nBad,Atlantis\n");
    let before = all(&store);

    let report = run(&store, &file, strict()).unwrap();
    assert!(report.aborted && !report.written);
    assert_eq!((report.inserted, report.updated, report.skipped), (0, 0, 2));
    assert_eq!(
        messages(&report),
        vec!["Row 3, Country: 'Atlantis' is not a country."]
    );
    assert_eq!(all(&store), before);

    let report = run(&store, &file, dry_run()).unwrap();
    assert!(report.dry_run && !report.written);
    assert_eq!((report.inserted, report.skipped), (1, 1));
    assert_eq!(all(&store), before);

    let report = import(&store, &file);
    assert!(report.written);
    assert_eq!(names(&store), vec!["Good", "My company"]);
}

#[test]
fn a_cancelled_import_leaves_the_database_exactly_as_it_was() {
    let (db, store) = temp_store();
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
