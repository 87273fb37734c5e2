//! Export, and export → import: every customer reproduced, an unchanged export changing
//! nothing, dates, formulas made inert, Unicode names, file modes, mapping columns.

use super::*;

#[test]
fn export_then_import_into_an_empty_database_reproduces_every_customer() {
    let (source_db, source) = temp_store();
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
        let (_target_db, target) = temp_store();
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
    store.update_customer("hooft", in_city("Utrecht")).unwrap();
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
    let (fresh, store) = temp_store();
    let own = export_all(&fresh, &store, "own.csv");
    let report = run(&store, &own, update).unwrap();
    assert_eq!((report.updated, report.unchanged), (0, 1), "{report:?}");
}

#[test]
fn created_and_updated_columns_date_new_customers_and_are_checked() {
    let (db, store) = temp_store();
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
    let csv = "Name,City\n'=1+2 GmbH,'s-Hertogenbosch\n't Hooft BV,'-Town\n";
    let (_db, store, report) = imported("f.csv", csv);
    assert_eq!(report.inserted, 2);
    let by_name: Vec<(String, Option<String>)> =
        all(&store).into_iter().map(|c| (c.name, c.city)).collect();
    assert!(by_name.contains(&("=1+2 GmbH".into(), Some("'s-Hertogenbosch".into()))));
    assert!(by_name.contains(&("'t Hooft BV".into(), Some("-Town".into()))));
}

#[test]
fn unicode_names_import_exactly_and_are_searchable() {
    let csv = "Name\n東京システム\nשלום בע\"מ\nمرحبا\nRocket 🚀\nCafe\u{301} Noir\n";
    let (_db, store, report) = imported("u.csv", csv);
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
    let csv = "Name,Autotask company ID,Autotask company,Autotask status\n\
               Mapped,42,Acme Inc,renamed\n\
               Unmapped,,,\n\
               Bad Id,forty-two,,\n\
               Bad Status,7,X,perhaps\n";
    let (_db, store, report) = imported("m.csv", csv);
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
