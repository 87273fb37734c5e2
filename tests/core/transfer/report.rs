//! The error report: Row, Column, Message and the row's own values, ready to import again.

use super::*;

#[test]
fn the_error_report_is_a_csv_of_row_column_message() {
    let (db, _store, report) = imported("e.csv", "Name,Country\nA,Atlantis\n=B,Nowhere\n");
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
    let (db, store) = temp_store();
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
