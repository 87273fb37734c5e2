//! The `clientbook` command on real files: output shapes, exit codes and messages.

use crate::common::{temp_db, temp_db_with_file};
use crate::{
    assert_fails, assert_fields, assert_keys, assert_prints, clientbook, json, ok, stderr, stdout,
    Cli,
};
use std::path::Path;

#[test]
fn add_prints_the_new_id_and_list_json_has_exactly_the_documented_keys() {
    let db = temp_db();
    let out = clientbook(
        &db.path,
        &[
            "add",
            "--name",
            "Acme Corp",
            "--city",
            "Berlin",
            "--country",
            "deu",
            "--url",
            "acme.example",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "acme-corp\n");

    let list = json(clientbook(&db.path, &["list", "--json"]));
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let acme = &items[0];
    assert_keys(
        acme,
        &[
            "customer_id",
            "name",
            "street",
            "zip",
            "city",
            "country",
            "url",
            "comment",
            "validity",
            "active",
            "own",
            "jobs",
            "autotask_company",
        ],
    );
    assert_fields(
        acme,
        serde_json::json!({
            "customer_id": "acme-corp", "country": "DE", "url": "https://acme.example",
            "street": null, "validity": "valid", "active": true, "own": false, "jobs": 0,
        }),
    );
    assert_eq!(items[1]["own"], true);
}

#[test]
fn list_search_and_an_empty_result_are_valid_json() {
    let db = temp_db();
    clientbook(&db.path, &["add", "--name", "Zürich Consulting"]);
    let out = clientbook(&db.path, &["list", "--search", "zur co", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let out = clientbook(&db.path, &["list", "--search", "nothing", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn edit_changes_only_the_given_fields() {
    let db = temp_db();
    clientbook(
        &db.path,
        &[
            "add", "--name", "Acme", "--city", "Berlin", "--zip", "10115",
        ],
    );
    let out = clientbook(
        &db.path,
        &["edit", "acme", "--city", "Hamburg", "--validity", "invalid"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = clientbook(&db.path, &["list", "--json", "--filter", "inactive"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_fields(
        &list[0],
        serde_json::json!({"city": "Hamburg", "zip": "10115", "active": false}),
    );
}

#[test]
fn refusals_exit_1_with_a_sentence_on_stderr() {
    let db = temp_db();
    let out = clientbook(&db.path, &["delete", "my-company"]);
    assert_fails(&out, 1, "own company and cannot be deleted");

    let out = clientbook(&db.path, &["add", "--name", "X", "--country", "Atlantis"]);
    assert_fails(&out, 1, "Country: 'Atlantis' is not a country.");

    let out = clientbook(&db.path, &["delete", "nobody"]);
    assert_fails(&out, 1, "no customer with the ID 'nobody'");
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn usage_errors_exit_2() {
    let db = temp_db();
    assert_eq!(clientbook(&db.path, &["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        clientbook(&db.path, &["list", "--filter", "sometimes"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(clientbook(&db.path, &["delete"]).status.code(), Some(2));
}

#[test]
fn delete_removes_and_says_so() {
    let db = temp_db();
    clientbook(&db.path, &["add", "--name", "Gone Soon"]);
    let out = clientbook(&db.path, &["delete", "gone-soon"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("Deleted gone-soon"));
    let out = clientbook(&db.path, &["list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn help_describes_every_command() {
    let db = temp_db();
    let out = clientbook(&db.path, &["--help"]);
    assert!(out.status.success());
    for command in ["list", "add", "edit", "delete", "bench"] {
        assert!(
            stdout(&out).contains(command),
            "{command} missing from --help"
        );
    }
}

#[test]
fn a_reader_closing_the_pipe_early_is_not_an_error() {
    use std::io::Read;
    let db = temp_db();
    {
        let store = clientbook::Store::open(&db.path).unwrap();
        store
            .insert_many((1..=20_000).map(clientbook::sample::generated_customer))
            .unwrap();
    }
    let mut child = Cli::on(&db.path, &["list", "--json"]).spawn();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the pipe closes
    let out = ok(child.wait_with_output().unwrap());
    assert_eq!(stderr(&out), "");
}

fn file(db: &crate::common::TempDb, name: &str, text: &str) -> std::path::PathBuf {
    crate::common::write(db, name, text.as_bytes())
}

#[test]
fn import_json_has_exactly_the_documented_keys_and_exit_0_with_row_errors() {
    let (db, csv) = temp_db_with_file("in.csv", b"Name,Country\nAcme,DE\nBad,Atlantis\n");
    let out = clientbook(&db.path, &["import", csv.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_keys(&json, &["errors", "inserted", "skipped", "updated"]);
    assert_eq!(json["inserted"], 1);
    assert_eq!(json["skipped"], 1);
    assert_eq!(
        json["errors"][0],
        serde_json::json!({"row": 3, "column": "Country", "message": "'Atlantis' is not a country."})
    );
}

/// The same file imported again without --update: its rows are counted as already stored, with
/// how to update them, apart from rows that are wrong; and a file without IDs says that its rows
/// were added beside the customers of the same name.
#[test]
fn importing_a_file_again_says_what_is_stored_and_how_to_update_it() {
    let (db, ids) = temp_db_with_file("ids.csv", b"Customer ID,Name\na,Alpha\nb,Beta\n");
    let names = file(&db, "names.csv", "Name\nGamma\n");
    for f in [&ids, &names] {
        let out = clientbook(&db.path, &["import", f.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let again = file(
        &db,
        "again.csv",
        "Customer ID,Name,Country\na,Alpha,\nb,Beta,\nc,Cee,Atlantis\n",
    );
    let out = clientbook(&db.path, &["import", again.to_str().unwrap(), "--dry-run"]);
    assert!(
        stdout(&out).contains(
            "Skipped: 0 duplicates, 1 invalid rows, 2 already stored (the same customer ID; \
             add --update to update them).\n"
        ),
        "{}",
        stdout(&out)
    );
    let out = clientbook(&db.path, &["import", names.to_str().unwrap(), "--dry-run"]);
    assert!(
        stdout(&out).contains(
            "Note: 1 row has no customer ID and the name of a stored customer, so it will be \
             added as a new customer beside it (row 2, \u{201c}Gamma\u{201d}: 'gamma-2' next to \
             'gamma'). Add --update to update those customers instead.\n"
        ),
        "{}",
        stdout(&out)
    );
}

/// A large import copies its log into the file in the background: the command still ends
/// with one self-contained file, as every other command does.
#[test]
fn a_large_import_leaves_one_self_contained_file() {
    let db = temp_db();
    let mut text = String::from("Name,City\n");
    for i in 0..40_000 {
        text += &format!("Firm {i},Köln\n");
    }
    let csv = file(&db, "big.csv", &text);
    let out = clientbook(&db.path, &["import", csv.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for side in ["-wal", "-shm"] {
        let path = format!("{}{side}", db.path.display());
        assert!(
            !Path::new(&path).exists(),
            "{path} is left after the import"
        );
    }
    let out = clientbook(&db.path, &["list", "--json", "--search", "firm 39999"]);
    assert_prints(&out, "\"Firm 39999\"");
}

#[test]
fn import_exits_1_when_nothing_was_written_and_says_why() {
    let (db, bad) = temp_db_with_file("bad.csv", b"Name,Country\nAcme,DE\nBad,Atlantis\nAcme,DE\n");
    let out = clientbook(&db.path, &["import", bad.to_str().unwrap(), "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "clientbook: nothing was imported from '{}': 2 of 3 rows have errors (the first: \
             row 3), and --strict stops on any error.\n",
            bad.display()
        )
    );
    assert!(stdout(&out).contains("Row 3, Country: 'Atlantis' is not a country."));
    // Nothing is imported, so no message says the first occurrence is.
    assert!(
        stdout(&out)
            .contains("Row 4, Name: 'Acme' (customer ID 'acme') already appears in row 2.\n"),
        "{}",
        stdout(&out)
    );

    let none = file(&db, "cities.csv", "City\nBerlin\n");
    let out = clientbook(&db.path, &["import", none.to_str().unwrap()]);
    assert_fails(&out, 1, "'cities.csv' has no name column");

    let out = clientbook(&db.path, &["import", "/nonexistent/x.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("x.csv"));

    let empty = file(&db, "empty.csv", "");
    let binary = db.dir.path().join("logo.csv");
    std::fs::write(&binary, [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3]).unwrap();
    for (path, why) in [
        (&empty, "'empty.csv' is empty"),
        (&binary, "'logo.csv' is not a text file"),
    ] {
        let out = clientbook(&db.path, &["import", path.to_str().unwrap(), "--json"]);
        assert_eq!(out.status.code(), Some(1), "{why}");
        assert!(stderr(&out).contains(why), "{}", stderr(&out));
    }

    let list = clientbook(&db.path, &["list", "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(rows.len(), 1, "only the own company");

    let out = clientbook(&db.path, &["import"]);
    assert_eq!(out.status.code(), Some(2), "usage error");
}

#[test]
fn dry_run_reports_without_writing_and_update_updates() {
    let (db, csv) = temp_db_with_file("in.csv", b"ID,Name\nacme,Acme\n");
    let out = clientbook(
        &db.path,
        &["import", csv.to_str().unwrap(), "--dry-run", "--json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["inserted"], 1);
    assert!(!stdout(&clientbook(&db.path, &["list"])).contains("acme"));

    // The text report names the columns it ignores, those without a header too.
    let excel = file(&db, "excel.csv", "ID,Name,Revenue,,\nacme,Acme,5,,\n");
    let out = clientbook(&db.path, &["import", excel.to_str().unwrap(), "--dry-run"]);
    assert!(
        stdout(&out).ends_with("Ignored columns: Revenue, (no name), (no name)\n"),
        "{}",
        stdout(&out)
    );

    assert_eq!(
        clientbook(&db.path, &["import", csv.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let renamed = file(&db, "renamed.csv", "ID,Name\nacme,Acme Renamed\n");
    let out = clientbook(
        &db.path,
        &["import", renamed.to_str().unwrap(), "--update", "--json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (json["inserted"].as_u64(), json["updated"].as_u64()),
        (Some(0), Some(1))
    );
    assert!(stdout(&clientbook(&db.path, &["list"])).contains("Acme Renamed"));
}

#[test]
fn export_writes_the_filtered_list_and_round_trips_through_import() {
    let db = temp_db();
    for args in [
        ["add", "--name", "Alpha", "--validity", "valid"],
        ["add", "--name", "Beta", "--validity", "invalid"],
    ] {
        assert_eq!(clientbook(&db.path, &args).status.code(), Some(0));
    }
    let all = db.dir.path().join("all.csv");
    let out = clientbook(&db.path, &["export", all.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Exported 3 customers"));
    let inactive = db.dir.path().join("inactive.csv");
    clientbook(
        &db.path,
        &["export", inactive.to_str().unwrap(), "--inactive"],
    );
    let text = std::fs::read_to_string(&inactive).unwrap();
    assert!(text.contains("Beta") && !text.contains("Alpha"), "{text}");
    let searched = db.dir.path().join("searched.csv");
    clientbook(
        &db.path,
        &["export", searched.to_str().unwrap(), "--search", "alp"],
    );
    let text = std::fs::read_to_string(&searched).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");

    let other = temp_db();
    let out = clientbook(&other.path, &["import", all.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let a = stdout(&clientbook(&db.path, &["list", "--json"]));
    let b = stdout(&clientbook(&other.path, &["list", "--json"]));
    assert_eq!(a, b);
}

#[test]
fn db_check_and_backup() {
    let db = temp_db();
    assert!(clientbook(&db.path, &["add", "--name", "Acme"])
        .status
        .success());
    let checked = clientbook(&db.path, &["db", "check"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    let text = stdout(&checked);
    assert!(text.contains("Integrity: ok"), "{text}");
    assert!(text.contains("customers: 2"), "{text}");
    let json = clientbook(&db.path, &["db", "check", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(report["integrity"], serde_json::json!(["ok"]));
    assert_eq!(report["schema_version"], report["supported_version"]);

    let dest = db.dir.path().join("copy.clientbook");
    let backup = clientbook(&db.path, &["db", "backup", dest.to_str().unwrap()]);
    assert_eq!(backup.status.code(), Some(0), "{}", stderr(&backup));
    let listed = clientbook(&dest, &["list", "--json"]);
    assert!(stdout(&listed).contains("\"acme\""));
    let again = clientbook(&db.path, &["db", "backup", dest.to_str().unwrap()]);
    assert_fails(&again, 1, "already exists");

    // A damaged file: exit 1 with the finding on stderr.
    let mut bytes = std::fs::read(&db.path).unwrap();
    for p in 2..bytes.len() / 4096 {
        bytes[p * 4096..p * 4096 + 12].fill(0xff);
    }
    std::fs::write(&db.path, &bytes).unwrap();
    let damaged = clientbook(&db.path, &["db", "check"]);
    assert_fails(&damaged, 1, "is damaged");

    let missing = db.dir.path().join("missing.clientbook");
    let none = clientbook(&missing, &["db", "check"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("no database file"));
    assert!(!missing.exists());
}
