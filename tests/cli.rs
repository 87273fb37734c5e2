//! The `clientbook` command on real files: output shapes, exit codes and messages.

mod common;

use common::temp_db;
use std::path::Path;
use std::process::{Command, Output};

fn clientbook(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientbook"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run clientbook")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

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

    let out = clientbook(&db.path, &["list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let acme = &items[0];
    let keys: Vec<&str> = acme
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
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
    ];
    let mut sorted_keys = keys.clone();
    sorted_keys.sort();
    expected.sort();
    assert_eq!(sorted_keys, expected);
    assert_eq!(acme["customer_id"], "acme-corp");
    assert_eq!(acme["country"], "DE");
    assert_eq!(acme["url"], "https://acme.example");
    assert_eq!(acme["street"], serde_json::Value::Null);
    assert_eq!(acme["validity"], "valid");
    assert_eq!(acme["active"], true);
    assert_eq!(acme["own"], false);
    assert_eq!(acme["jobs"], 0);
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
    assert_eq!(list[0]["city"], "Hamburg");
    assert_eq!(list[0]["zip"], "10115");
    assert_eq!(list[0]["active"], false);
}

#[test]
fn refusals_exit_1_with_a_sentence_on_stderr() {
    let db = temp_db();
    let out = clientbook(&db.path, &["delete", "my-company"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("own company and cannot be deleted"),
        "{}",
        stderr(&out)
    );

    let out = clientbook(&db.path, &["add", "--name", "X", "--country", "Atlantis"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Country: 'Atlantis' is not a country."),
        "{}",
        stderr(&out)
    );

    let out = clientbook(&db.path, &["delete", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no customer with the ID 'nobody'"),
        "{}",
        stderr(&out)
    );
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
            .insert_many((1..=20_000).map(clientbook::bench::generated_customer))
            .unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_clientbook"))
        .arg("--db")
        .arg(&db.path)
        .args(["list", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the pipe closes
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}
