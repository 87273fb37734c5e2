//! Identity and what people can see, through the command line: the second spelling refused,
//! the first found; stored text that could steer a terminal printed escaped.

use crate::clientbook;
use crate::common::temp_db;
use clientbook::Store;

#[test]
fn the_command_line_refuses_the_second_spelling_and_finds_the_first() {
    let db = temp_db();
    let out = clientbook(
        &db.path,
        &["add", "--name", "Straße GmbH", "--id", "straße"],
    );
    assert!(out.status.success(), "{out:?}");
    let out = clientbook(&db.path, &["add", "--name", "Strasse", "--id", "STRASSE"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'STRASSE' is already used"), "{err}");
    let out = clientbook(&db.path, &["edit", "STRASSE", "--city", "Wien"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "straße\n");
}

#[test]
fn stored_text_that_could_steer_a_terminal_is_printed_escaped() {
    let db = temp_db();
    Store::open(&db.path).unwrap();
    // Written by another tool, as the rules of today would refuse them.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    for (id, name) in [
        ("evil", "Evil \u{202e}gnp.exe"),
        ("escape", "Red \u{1b}[31mtext"),
        ("break", "One\u{2028}Two"),
    ] {
        conn.execute(
            "INSERT INTO customers (customer_id, id_fold, name, name_key, created_at, updated_at) \
             VALUES (?1, ?1, ?2, ?1, 't', 't')",
            (id, name),
        )
        .unwrap();
    }
    drop(conn);
    for args in [&["list"][..], &["list", "--json"][..]] {
        let out = clientbook(&db.path, args);
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        for raw in ['\u{202e}', '\u{1b}', '\u{2028}'] {
            assert!(!text.contains(raw), "{args:?}: {raw:?} printed raw: {text}");
        }
        assert!(text.contains("\\u202e"), "{text}");
        if args.contains(&"--json") {
            let list: serde_json::Value = serde_json::from_str(&text).unwrap();
            let names: Vec<&str> = list
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap())
                .collect();
            assert!(
                names.contains(&"Evil \u{202e}gnp.exe"),
                "JSON keeps the value: {names:?}"
            );
        }
    }
    let out = clientbook(&db.path, &["edit", "no\u{202e}such"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains('\u{202e}') && err.contains("\\u202e"),
        "{err}"
    );
}
