//! `clientbook autotask …` against the fake Autotask server on 127.0.0.1: credentials through
//! the environment and the keychain, companies, usage errors, mappings, and a 429 wait counted
//! down and stopped by Ctrl+C. What the CLI prints never holds a secret.

use crate::common::{add, keychain_or_fail, keychain_tests_wanted, temp_db};
use crate::fake_autotask::{
    closed_port_url, customer_companies, sample, test_credentials, FakeAutotask, Fault,
    INTEGRATION_CODE, SECRET, USERNAME,
};
use clientbook::autotask::credentials;
use clientbook::Store;
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `clientbook autotask …` with its own keychain service and the given environment.
fn cli(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_clientbook"));
    cmd.arg("autotask").args(args);
    for var in [
        credentials::USERNAME_ENV,
        credentials::SECRET_ENV,
        credentials::INTEGRATION_CODE_ENV,
    ] {
        cmd.env_remove(var);
    }
    cmd.env(
        clientbook::secrets::SERVICE_ENV,
        format!("clientbook-test-{}", std::process::id()),
    );
    cmd.envs(env.iter().copied());
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run clientbook");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().expect("wait for clientbook")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn cli_companies_json_and_test_through_the_environment() {
    let fake = FakeAutotask::start(sample());
    let zone = fake.zone_url();
    let env = [
        ("CLIENTBOOK_AUTOTASK_ZONE_URL", zone.as_str()),
        ("CLIENTBOOK_AUTOTASK_USERNAME", USERNAME),
        ("CLIENTBOOK_AUTOTASK_SECRET", SECRET),
        ("CLIENTBOOK_AUTOTASK_INTEGRATION_CODE", INTEGRATION_CODE),
    ];
    let out = cli(
        &[
            "companies",
            "--search",
            "acme",
            "--include-inactive",
            "--json",
        ],
        &env,
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0],
        serde_json::json!({"id": 11, "name": "Acme Corp", "number": "C11", "city": "Berlin", "active": true})
    );
    assert_eq!(items[1]["active"], false);

    let out = cli(&["companies", "--search", "globex"], &env, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Globex"),
        "{}",
        text(&out.stdout)
    );

    let out = cli(&["test"], &env, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("zone Fake Zone"),
        "{}",
        text(&out.stdout)
    );

    let mut wrong = env;
    wrong[2].1 = "not-the-secret";
    let out = cli(&["test"], &wrong, "");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("Check the secret"), "{err}");
    assert!(
        !err.contains("not-the-secret") && !err.contains(SECRET),
        "{err}"
    );

    let offline = closed_port_url();
    let mut gone = env;
    gone[0].1 = &offline;
    let out = cli(&["companies"], &gone, "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("Autotask is not reachable"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn cli_usage_errors_exit_2() {
    let out = cli(&["login", "--username", "x"], &[], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cli_login_then_companies_from_the_keychain_then_logout() {
    if !keychain_tests_wanted() {
        return;
    }
    // The same service name `cli` gives the command.
    let service = format!("clientbook-test-{}", std::process::id());
    let keychain = keychain_or_fail(&service);
    let fake = FakeAutotask::start(sample());
    let zone = fake.zone_url();
    let env = [("CLIENTBOOK_AUTOTASK_ZONE_URL", zone.as_str())];

    let out = cli(
        &[
            "login",
            "--username",
            USERNAME,
            "--integration-code",
            INTEGRATION_CODE,
        ],
        &env,
        &format!("{SECRET}\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains(SECRET));
    assert_eq!(
        credentials::load_stored(&keychain).unwrap(),
        Some(test_credentials())
    );

    let out = cli(&["companies", "--search", "globex", "--json"], &env, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["id"], 13);

    let out = cli(&["logout"], &env, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("Removed"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(credentials::load_stored(&keychain).unwrap(), None);

    let out = cli(&["companies"], &env, "");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("No Autotask credentials"),
        "{}",
        text(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn the_cli_counts_a_wait_down_and_ctrl_c_stops_it_at_once() {
    use std::io::Read;
    let fake = FakeAutotask::start(sample());
    fake.fail_next(Fault::TooManyRequests {
        retry_after: Some(30),
    });
    let zone = fake.zone_url();
    let mut child = Command::new(env!("CARGO_BIN_EXE_clientbook"))
        .args(["autotask", "companies", "--search", "acme"])
        .env("CLIENTBOOK_AUTOTASK_ZONE_URL", &zone)
        .env(credentials::USERNAME_ENV, USERNAME)
        .env(credentials::SECRET_ENV, SECRET)
        .env(credentials::INTEGRATION_CODE_ENV, INTEGRATION_CODE)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    std::thread::sleep(Duration::from_millis(2_500));
    assert!(child.try_wait().unwrap().is_none(), "still waiting");
    let interrupted = Instant::now();
    // SAFETY: kill(2) on the child's own pid; no memory is involved.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert!(
        interrupted.elapsed() < Duration::from_secs(2),
        "stopped at once"
    );
    assert!(!status.success());
    let said = reader.join().unwrap();
    assert!(said.contains("trying again in 30 s (try 2 of 3)"), "{said}");
    assert!(
        said.contains("trying again in 28 s"),
        "counted down: {said}"
    );
    assert!(said.contains("Ctrl+C stops"), "{said}");
}

fn cli_on(db: &std::path::Path, fake: Option<&FakeAutotask>, args: &[&str]) -> Output {
    let zone = fake.map_or_else(closed_port_url, |f| f.zone_url());
    let out = Command::new(env!("CARGO_BIN_EXE_clientbook"))
        .arg("--db")
        .arg(db)
        .arg("autotask")
        .args(args)
        .env(credentials::USERNAME_ENV, USERNAME)
        .env(credentials::SECRET_ENV, SECRET)
        .env(credentials::INTEGRATION_CODE_ENV, INTEGRATION_CODE)
        .env("CLIENTBOOK_AUTOTASK_ZONE_URL", zone)
        .env(
            clientbook::secrets::SERVICE_ENV,
            format!("clientbook-mapping-test-{}", std::process::id()),
        )
        .output()
        .expect("run clientbook");
    // What the CLI prints is its log: never a secret, whatever happened.
    for stream in [&out.stdout, &out.stderr] {
        let printed = text(stream);
        for value in [SECRET, INTEGRATION_CODE] {
            assert!(
                !printed.contains(value),
                "`autotask {}` printed a credential: {printed}",
                args.join(" ")
            );
        }
    }
    out
}

#[test]
fn cli_map_refresh_unmap_and_pull() {
    let db = temp_db();
    let fake = FakeAutotask::start(customer_companies());
    let store = Store::open(&db.path).unwrap();
    let acme = add(&store, "Acme", "Berlin");
    let globex = add(&store, "Globex", "Berlin");
    drop(store);

    let out = cli_on(&db.path, Some(&fake), &["map", &acme, "11"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Acme Corp"),
        "{}",
        text(&out.stdout)
    );
    let out = cli_on(&db.path, Some(&fake), &["map", &globex, "13"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = cli_on(&db.path, Some(&fake), &["map", &globex, "999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no company with the id 999"),
        "{}",
        text(&out.stderr)
    );
    let out = cli_on(&db.path, Some(&fake), &["map", &globex, "not-a-number"]);
    assert_eq!(out.status.code(), Some(2));

    fake.set_field(13, "companyName", json!("Globex International"));
    let out = cli_on(&db.path, Some(&fake), &["refresh", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        list,
        json!([
            {"customer_id": "acme", "company_id": 11, "company_name": "Acme Corp", "status": "ok"},
            {"customer_id": "globex", "company_id": 13,
             "company_name": "Globex International", "status": "renamed"},
        ])
    );
    fake.remove(11);
    let out = cli_on(&db.path, Some(&fake), &["refresh", &acme, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["status"], "missing");
    assert_eq!(list.as_array().unwrap().len(), 1);

    // The list shows the cached name; `list --json` keeps its keys.
    let out = Command::new(env!("CARGO_BIN_EXE_clientbook"))
        .args(["--db", db.path.to_str().unwrap(), "list", "--json"])
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let globex_row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["customer_id"] == "globex")
        .unwrap();
    assert_eq!(globex_row["autotask_company"], "Globex International");
    assert_eq!(globex_row.as_object().unwrap().len(), 13);

    // Offline: exit 1 with "not reachable", nothing changed.
    let out = cli_on(&db.path, None, &["refresh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not reachable"),
        "{}",
        text(&out.stderr)
    );

    let out = cli_on(&db.path, Some(&fake), &["unmap", &acme]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("Removed the Autotask mapping of {acme}.\n")
    );
    // Again: it says there was nothing to remove, and writes no history entry for nothing.
    let entries = Store::open(&db.path)
        .unwrap()
        .history(&acme, None, 100)
        .unwrap()
        .len();
    let out = cli_on(&db.path, Some(&fake), &["unmap", &acme]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{acme} is not mapped to an Autotask company; nothing was changed.\n")
    );
    let after = Store::open(&db.path)
        .unwrap()
        .history(&acme, None, 100)
        .unwrap()
        .len();
    assert_eq!(after, entries);
    let out = cli_on(&db.path, Some(&fake), &["refresh", &acme]);
    assert_eq!(out.status.code(), Some(1), "not mapped any more");
    let out = cli_on(&db.path, Some(&fake), &["unmap", "nobody"]);
    assert_eq!(out.status.code(), Some(1));

    let out = cli_on(&db.path, Some(&fake), &["pull", "--dry-run", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Active customers-type companies: 0, 13 (mapped), 14, 15, 16.
    assert_eq!(
        summary,
        json!({"inserted": 4, "updated": 0, "skipped": 1, "errors": []})
    );
    let out = cli_on(&db.path, Some(&fake), &["pull"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Imported: 4"),
        "{}",
        text(&out.stdout)
    );
    let store = Store::open(&db.path).unwrap();
    assert_eq!(store.mapped_customers().unwrap().len(), 5);
}

#[test]
fn an_unreachable_keychain_is_a_clear_error_not_a_hang() {
    // No session bus at this address: keyring fails at once; the deadline bounds worse cases.
    let env = [
        (
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/clientbook-test-bus",
        ),
        ("DISPLAY", ""),
    ];
    for args in [&["logout"][..], &["test"][..]] {
        let started = Instant::now();
        let out = cli(args, &env, "");
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let err = text(&out.stderr);
        assert!(err.contains("OS keychain"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
