//! `clientbook autotask …` against the fake Autotask server on 127.0.0.1: credentials through
//! the environment and the keychain, companies, usage errors, mappings, and a 429 wait counted
//! down and stopped by Ctrl+C. What the CLI prints never holds a secret.

use crate::common::{add, temp_db, test_keychain};
use crate::fake_autotask::{
    closed_port_url, customer_companies, sample, test_credentials, FakeAutotask, Fault,
    INTEGRATION_CODE, SECRET, USERNAME,
};
use crate::{assert_fails, assert_prints, clientbook, ok, stderr, stdout, Cli};
use clientbook::autotask::credentials;
use clientbook::Store;
use serde_json::{json, Value};
use std::process::Output;
use std::time::{Duration, Instant};

/// `clientbook autotask …` with its own keychain service and the given environment.
fn cli(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    Cli::new(&["autotask"])
        .args(args)
        .env_remove(credentials::USERNAME_ENV)
        .env_remove(credentials::SECRET_ENV)
        .env_remove(credentials::INTEGRATION_CODE_ENV)
        .env(
            clientbook::secrets::SERVICE_ENV,
            format!("clientbook-test-{}", std::process::id()),
        )
        .envs(env)
        .stdin(stdin)
        .output()
}

/// `cli` given the fake's `zone` and the test credentials through the environment.
fn with_test_credentials(cli: Cli, zone: &str) -> Cli {
    cli.env("CLIENTBOOK_AUTOTASK_ZONE_URL", zone)
        .env(credentials::USERNAME_ENV, USERNAME)
        .env(credentials::SECRET_ENV, SECRET)
        .env(credentials::INTEGRATION_CODE_ENV, INTEGRATION_CODE)
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
    let out = ok(cli(
        &[
            "companies",
            "--search",
            "acme",
            "--include-inactive",
            "--json",
        ],
        &env,
        "",
    ));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0],
        serde_json::json!({"id": 11, "name": "Acme Corp", "number": "C11", "city": "Berlin", "active": true})
    );
    assert_eq!(items[1]["active"], false);

    let out = ok(cli(&["companies", "--search", "globex"], &env, ""));
    assert_prints(&out, "Globex");

    let out = ok(cli(&["test"], &env, ""));
    assert_prints(&out, "zone Fake Zone");

    let mut wrong = env;
    wrong[2].1 = "not-the-secret";
    let out = cli(&["test"], &wrong, "");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("Check the secret"), "{err}");
    assert!(
        !err.contains("not-the-secret") && !err.contains(SECRET),
        "{err}"
    );

    let offline = closed_port_url();
    let mut gone = env;
    gone[0].1 = &offline;
    let out = cli(&["companies"], &gone, "");
    assert_fails(&out, 1, "Autotask is not reachable");
}

#[test]
fn cli_usage_errors_exit_2() {
    let out = cli(&["login", "--username", "x"], &[], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cli_login_then_companies_from_the_keychain_then_logout() {
    // The same service name `cli` gives the command.
    let Some(keychain) = test_keychain("") else {
        return;
    };
    let fake = FakeAutotask::start(sample());
    let zone = fake.zone_url();
    let env = [("CLIENTBOOK_AUTOTASK_ZONE_URL", zone.as_str())];

    let out = ok(cli(
        &[
            "login",
            "--username",
            USERNAME,
            "--integration-code",
            INTEGRATION_CODE,
        ],
        &env,
        &format!("{SECRET}\n"),
    ));
    assert!(!stdout(&out).contains(SECRET));
    assert_eq!(
        credentials::load_stored(&keychain).unwrap(),
        Some(test_credentials())
    );

    let out = ok(cli(
        &["companies", "--search", "globex", "--json"],
        &env,
        "",
    ));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["id"], 13);

    let out = ok(cli(&["logout"], &env, ""));
    assert!(stdout(&out).starts_with("Removed"), "{}", stdout(&out));
    assert_eq!(credentials::load_stored(&keychain).unwrap(), None);

    let out = cli(&["companies"], &env, "");
    assert_fails(&out, 1, "No Autotask credentials");
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
    let companies = Cli::new(&["autotask", "companies", "--search", "acme"]);
    let mut child = with_test_credentials(companies, &zone)
        .interruptible()
        .spawn();
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
    let out = with_test_credentials(Cli::on(db, &["autotask"]).args(args), &zone)
        .env(
            clientbook::secrets::SERVICE_ENV,
            format!("clientbook-mapping-test-{}", std::process::id()),
        )
        .output();
    // What the CLI prints is its log: never a secret, whatever happened.
    for printed in [stdout(&out), stderr(&out)] {
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

    let out = ok(cli_on(&db.path, Some(&fake), &["map", &acme, "11"]));
    assert_prints(&out, "Acme Corp");
    ok(cli_on(&db.path, Some(&fake), &["map", &globex, "13"]));

    let out = cli_on(&db.path, Some(&fake), &["map", &globex, "999"]);
    assert_fails(&out, 1, "no company with the id 999");
    let out = cli_on(&db.path, Some(&fake), &["map", &globex, "not-a-number"]);
    assert_eq!(out.status.code(), Some(2));

    fake.set_field(13, "companyName", json!("Globex International"));
    let out = ok(cli_on(&db.path, Some(&fake), &["refresh", "--json"]));
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
    let out = ok(cli_on(&db.path, Some(&fake), &["refresh", &acme, "--json"]));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["status"], "missing");
    assert_eq!(list.as_array().unwrap().len(), 1);

    // The list shows the cached name; `list --json` keeps its keys.
    let out = clientbook(&db.path, &["list", "--json"]);
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
    assert_fails(&out, 1, "not reachable");

    let out = ok(cli_on(&db.path, Some(&fake), &["unmap", &acme]));
    assert_eq!(
        stdout(&out),
        format!("Removed the Autotask mapping of {acme}.\n")
    );
    // Again: it says there was nothing to remove, and writes no history entry for nothing.
    let history = || {
        Store::open(&db.path)
            .unwrap()
            .history(&acme, None, 100)
            .unwrap()
            .len()
    };
    let entries = history();
    let out = ok(cli_on(&db.path, Some(&fake), &["unmap", &acme]));
    assert_eq!(
        stdout(&out),
        format!("{acme} is not mapped to an Autotask company; nothing was changed.\n")
    );
    assert_eq!(history(), entries);
    let out = cli_on(&db.path, Some(&fake), &["refresh", &acme]);
    assert_eq!(out.status.code(), Some(1), "not mapped any more");
    let out = cli_on(&db.path, Some(&fake), &["unmap", "nobody"]);
    assert_eq!(out.status.code(), Some(1));

    let out = ok(cli_on(
        &db.path,
        Some(&fake),
        &["pull", "--dry-run", "--json"],
    ));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Active customers-type companies: 0, 13 (mapped), 14, 15, 16.
    assert_eq!(
        summary,
        json!({"inserted": 4, "updated": 0, "skipped": 1, "errors": []})
    );
    let out = ok(cli_on(&db.path, Some(&fake), &["pull"]));
    assert_prints(&out, "Imported: 4");
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
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("OS keychain"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
