//! The Autotask client against a fake Autotask server on 127.0.0.1: zone lookup, credentials,
//! companies, paging, batching and every fault; the CLI through the environment variables; and
//! the credentials round trip through the real OS keychain.
//!
//! The keychain tests need a reachable Secret Service (`scripts/test` runs the suite under
//! `dbus-run-session` with an unlocked gnome-keyring). Without one they FAIL with a message;
//! set `CLIENTBOOK_SKIP_KEYCHAIN_TESTS=1` to skip them on purpose.

use crate::common::{keychain_or_fail, keychain_tests_wanted};
use crate::fake_autotask::{
    closed_port_url, company, sample, test_credentials, test_settings, FakeAutotask, Fault,
    INTEGRATION_CODE, SECRET, USERNAME,
};
use clientbook::autotask::{credentials, Client, Credentials, RetryWait, Settings};
use clientbook::Error;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn settings(zone_url: String) -> Settings {
    test_settings(zone_url, Duration::from_secs(2))
}

fn client(fake: &FakeAutotask) -> Client {
    Client::new(test_credentials(), settings(fake.zone_url())).unwrap()
}

fn names(companies: &[clientbook::autotask::Company]) -> Vec<&str> {
    companies.iter().map(|c| c.name.as_str()).collect()
}

/// Asserts an error's kind and that it never shows the secret.
fn expect_err(result: Result<impl std::fmt::Debug, Error>, kind: &str) -> Error {
    let err = result.expect_err("expected an error");
    assert_eq!(err.kind(), kind, "{err}");
    assert!(!err.to_string().contains(SECRET), "{err}");
    assert!(!format!("{err:?}").contains(SECRET), "{err:?}");
    err
}

#[test]
fn zone_lookup_then_authenticated_search_with_the_zone_cached() {
    let fake = FakeAutotask::start(sample());
    let client = client(&fake);
    let found = client.search_companies("acme", false).unwrap();
    assert_eq!(names(&found), ["Acme Corp", "Initech Acme Services"]);
    let acme = &found[0];
    assert_eq!(
        (
            acme.id,
            acme.number.as_deref(),
            acme.city.as_deref(),
            acme.active
        ),
        (11, Some("C11"), Some("Berlin"), true)
    );
    let all = client.search_companies("ACME", true).unwrap();
    assert_eq!(
        names(&all),
        ["Acme Corp", "ACME Holdings", "Initech Acme Services"]
    );
    assert_eq!(fake.zone_lookups(), 1, "the zone is cached per user");
    assert_eq!(fake.api_requests(), 2);
    let seen = fake.seen();
    assert!(
        seen[1].path.starts_with("/zone1/ATServicesRest/"),
        "{seen:?}"
    );
    assert_eq!(seen[1].method, "POST");
}

#[test]
fn test_connection_names_the_zone() {
    let fake = FakeAutotask::start(sample());
    let zone = client(&fake).test_connection().unwrap();
    assert_eq!(zone.name, "Fake Zone");
    assert!(zone.url.ends_with("/zone1/ATServicesRest/"), "{}", zone.url);
}

#[test]
fn each_wrong_credential_value_is_named() {
    let fake = FakeAutotask::start(sample());
    let with = |u: &str, s: &str, c: &str| {
        Client::new(
            Credentials::new(u, s, c).unwrap(),
            settings(fake.zone_url()),
        )
        .unwrap()
        .test_connection()
    };
    let err = expect_err(
        with(USERNAME, "wrong-secret", INTEGRATION_CODE),
        "credentials",
    );
    assert_eq!(err.field(), Some("secret"));
    assert!(err.to_string().contains("secret"), "{err}");
    assert!(!err.to_string().contains("wrong-secret"), "{err}");

    let err = expect_err(
        with("nobody@example.com", SECRET, INTEGRATION_CODE),
        "credentials",
    );
    assert_eq!(err.field(), Some("username"));
    assert!(err.to_string().contains("nobody@example.com"), "{err}");
    assert!(
        err.to_string()
            .contains("Zone information could not be determined"),
        "{err}"
    );

    let err = expect_err(with(USERNAME, SECRET, "WRONG-CODE"), "credentials");
    assert_eq!(err.field(), Some("integration_code"));
    assert!(
        err.to_string().contains("IntegrationCode is invalid."),
        "{err}"
    );
    assert!(!err.to_string().contains("WRONG-CODE"), "{err}");
}

#[test]
fn paging_follows_next_page_url_across_three_pages() {
    let companies = (1..=1201)
        .map(|i| company(i, &format!("Company {i:04}"), "Town", true))
        .collect();
    let fake = FakeAutotask::start(companies);
    let client = client(&fake);
    let all = client.search_companies("", false).unwrap();
    assert_eq!(all.len(), 1201);
    assert_eq!(all.first().unwrap().id, 1);
    assert_eq!(all.last().unwrap().id, 1201);
    assert_eq!(fake.api_requests(), 3, "500 + 500 + 201");
    let seen = fake.seen();
    assert!(seen[2].path.ends_with("/Companies/query/next"), "{seen:?}");

    // Small pages, a search: every page is read.
    fake.set_page_size(2);
    let some = client.search_companies("Company 000", true).unwrap();
    assert_eq!(some.len(), 9);
    assert_eq!(fake.api_requests(), 3 + 5);
}

#[test]
fn companies_by_ids_is_batched_500_ids_per_query() {
    let companies = (1..=1300)
        .map(|i| company(i, &format!("Company {i}"), "Town", i % 7 != 0))
        .collect();
    let fake = FakeAutotask::start(companies);
    let client = client(&fake);
    let mut ids: Vec<i64> = (1..=1200).collect();
    ids.extend([5, 6, 7]); // duplicates are asked once
    ids.push(99_999); // unknown: simply absent
    let found = client.companies_by_ids(&ids).unwrap();
    assert_eq!(found.len(), 1200);
    assert!(
        found.iter().any(|c| c.id == 7 && !c.active),
        "inactive ones are included"
    );
    assert_eq!(fake.zone_lookups(), 1);
    assert_eq!(fake.api_requests(), 3, "1,201 distinct ids ⇒ 3 queries");
    assert!(client.companies_by_ids(&[]).unwrap().is_empty());
    assert_eq!(fake.api_requests(), 3);
}

#[test]
fn one_company_by_id_and_missing_ones_both_ways() {
    let fake = FakeAutotask::start(sample());
    let client = client(&fake);
    let acme = client.company(11).unwrap().unwrap();
    assert_eq!((acme.name.as_str(), acme.active), ("Acme Corp", true));
    assert_eq!(client.company(404).unwrap(), None, "404");
    fake.answer_null_item_for_missing();
    assert_eq!(client.company(404).unwrap(), None, "200 with a null item");
}

#[test]
fn a_401_refreshes_the_zone_once_and_follows_a_moved_zone() {
    let fake = FakeAutotask::start(sample());
    let client = client(&fake);
    client.search_companies("acme", false).unwrap();
    fake.move_zone("/zone2/atservicesrest");
    let found = client.search_companies("acme", false).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(fake.zone_lookups(), 2);
    assert!(fake.seen().last().unwrap().path.starts_with("/zone2/"));

    // A 401 in an unmoved zone: one refresh, then the secret is blamed; no loop.
    fake.fail_next(Fault::Unauthorized);
    let err = expect_err(client.company(11), "credentials");
    assert_eq!(err.field(), Some("secret"));
    assert_eq!(fake.zone_lookups(), 3);
}

#[test]
fn a_429_honours_retry_after_up_to_three_tries() {
    let fake = FakeAutotask::start(sample());
    let waits = Arc::new(Mutex::new(Vec::<RetryWait>::new()));
    let mut s = settings(fake.zone_url());
    let log = waits.clone();
    s.on_retry = Some(Arc::new(move |w| log.lock().unwrap().push(w)));
    let client = Client::new(test_credentials(), s).unwrap();

    fake.fail_next(Fault::TooManyRequests {
        retry_after: Some(2),
    });
    fake.fail_next(Fault::TooManyRequests { retry_after: None });
    let started = Instant::now();
    assert_eq!(client.search_companies("acme", false).unwrap().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "slept twice"
    );
    let seen: Vec<_> = waits
        .lock()
        .unwrap()
        .iter()
        .map(|w| (w.requested, w.sleeping, w.attempt))
        .collect();
    assert_eq!(
        seen,
        [
            (Duration::from_secs(2), Duration::from_millis(50), 1),
            (Duration::from_secs(30), Duration::from_millis(50), 2)
        ]
    );
    assert_eq!(fake.api_requests(), 3);

    for _ in 0..3 {
        fake.fail_next(Fault::TooManyRequests {
            retry_after: Some(5),
        });
    }
    let err = expect_err(client.company(11), "autotask");
    assert!(err.to_string().contains("HTTP 429"), "{err}");
    assert!(err.to_string().contains("3 tries"), "{err}");
    assert!(
        err.to_string().contains("Thread Threshold Exceeded"),
        "{err}"
    );
    assert_eq!(fake.api_requests(), 6, "three tries, no more");
}

#[test]
fn a_500_shows_the_errors_verbatim_and_bad_json_names_the_status() {
    let fake = FakeAutotask::start(sample());
    let client = client(&fake);
    let text = "The logged in Resource does not have the adequate permissions to query Companies.";
    fake.fail_next(Fault::ServerError {
        errors: vec![text.into()],
    });
    let err = expect_err(client.search_companies("acme", false), "autotask");
    assert_eq!(
        err.to_string(),
        format!("Autotask answered HTTP 500: {text}")
    );
    assert!(matches!(
        err,
        Error::Autotask {
            status: Some(500),
            ..
        }
    ));

    fake.fail_next(Fault::MalformedJson);
    let err = expect_err(client.search_companies("acme", false), "autotask");
    assert!(
        err.to_string().contains("not valid JSON (HTTP 200)"),
        "{err}"
    );
}

#[test]
fn a_server_that_never_answers_times_out_with_a_clear_message() {
    let fake = FakeAutotask::start(sample());
    let mut s = settings(fake.zone_url());
    s.request_timeout = Duration::from_secs(1);
    let client = Client::new(test_credentials(), s).unwrap();
    client.zone().unwrap();
    fake.fail_next(Fault::Hang(Duration::from_secs(10)));
    let started = Instant::now();
    let err = expect_err(client.company(11), "unreachable");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.to_string().starts_with("Autotask is not reachable"),
        "{err}"
    );
    assert!(
        err.to_string().contains("did not answer within 1 seconds"),
        "{err}"
    );
}

#[test]
fn offline_fails_fast_with_not_reachable() {
    let client = Client::new(test_credentials(), settings(closed_port_url())).unwrap();
    let started = Instant::now();
    let err = expect_err(client.search_companies("acme", false), "unreachable");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.to_string().starts_with("Autotask is not reachable"),
        "{err}"
    );
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
}

#[test]
fn credentials_debug_never_shows_the_secret() {
    let c = test_credentials();
    for text in [format!("{c:?}"), format!("{c:#?}")] {
        assert!(text.contains(USERNAME), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }
}

// ---- the CLI -------------------------------------------------------------------------------

// ---- the real OS keychain ------------------------------------------------------------------

#[test]
fn keychain_round_trip_save_load_delete() {
    if !keychain_tests_wanted() {
        return;
    }
    let service = format!("clientbook-test-roundtrip-{}", std::process::id());
    let keychain = keychain_or_fail(&service);
    let _ = credentials::delete(&keychain);
    credentials::save(&keychain, &test_credentials()).unwrap();
    assert_eq!(
        credentials::load_stored(&keychain).unwrap(),
        Some(test_credentials())
    );
    // A second save replaces the first.
    let other = Credentials::new("other@example.com", "other-secret", "CODE2").unwrap();
    credentials::save(&keychain, &other).unwrap();
    assert_eq!(credentials::load_stored(&keychain).unwrap(), Some(other));
    assert!(credentials::delete(&keychain).unwrap());
    assert_eq!(credentials::load_stored(&keychain).unwrap(), None);
    assert!(!credentials::delete(&keychain).unwrap());
}

#[test]
fn the_fake_answers_get_search_with_groups_like_autotask() {
    let fake = FakeAutotask::start(sample());
    let zone = client(&fake).zone().unwrap();
    let search = serde_json::json!({"MaxRecords": 10, "filter": [
        {"op": "eq", "field": "IsActive", "value": true},
        {"op": "or", "items": [
            {"op": "beginsWith", "field": "companyname", "value": "glob"},
            {"op": "and", "items": [
                {"op": "contains", "field": "CompanyName", "value": "acme"},
                {"op": "in", "field": "id", "value": [14, 99]}
            ]}
        ]}
    ]});
    let http = reqwest::blocking::Client::new();
    let get = |search: &serde_json::Value, secret: &str| {
        http.get(format!("{}V1.0/Companies/query", zone.url))
            .query(&[("search", search.to_string())])
            .header("ApiIntegrationCode", INTEGRATION_CODE)
            .header("UserName", USERNAME)
            .header("Secret", secret)
            .send()
            .unwrap()
    };
    let answer: serde_json::Value = get(&search, SECRET).json().unwrap();
    let ids: Vec<i64> = answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [13, 14]);
    assert_eq!(
        answer["pageDetails"]["nextPageUrl"],
        serde_json::Value::Null
    );
    assert_eq!(get(&search, "wrong").status(), 401);
    let too_many =
        serde_json::json!({"MaxRecords": 501, "filter": [{"op": "exist", "field": "id"}]});
    let answer: serde_json::Value = get(&too_many, SECRET).json().unwrap();
    assert!(answer["errors"][0].as_str().unwrap().contains("MaxRecords"));
}

// ---- the log -----------------------------------------------------------------------------

/// Every log record of this test binary, from every thread and crate (reqwest's own debug and
/// trace lines included): the app installs a real logger at Info; this one takes everything.
struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(line);
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));

fn captured_lines() -> Vec<String> {
    CAPTURE.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

#[test]
fn the_log_names_each_request_and_failure_but_never_a_credential() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&CAPTURE).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
    let fake = FakeAutotask::start(sample());
    let with = |u: &str, s: &str, c: &str| {
        Client::new(
            Credentials::new(u, s, c).unwrap(),
            settings(fake.zone_url()),
        )
        .unwrap()
    };
    // A session's worth of answers and failures; each failure is logged as the app logs it.
    let fail = |result: Result<Vec<clientbook::autotask::Company>, Error>| {
        let e = result.expect_err("a failure");
        log::warn!("{}", e.for_log());
    };
    let good = with(USERNAME, SECRET, INTEGRATION_CODE);
    good.test_connection().unwrap();
    good.search_companies("acme", false).unwrap();
    fake.fail_next(Fault::TooManyRequests {
        retry_after: Some(1),
    });
    good.search_companies("globex", true).unwrap();
    fake.fail_next(Fault::ServerError {
        errors: vec!["Something broke".into()],
    });
    fail(good.search_companies("acme", false));
    fake.fail_next(Fault::Unauthorized);
    good.search_companies("acme", false).unwrap_or_default();
    fail(with("nobody@example.com", SECRET, INTEGRATION_CODE).search_companies("a", false));
    fail(with(USERNAME, "wrong-s3cret", INTEGRATION_CODE).search_companies("a", false));
    fail(with(USERNAME, SECRET, "WRONG-CODE-7").search_companies("a", false));
    let offline = Client::new(test_credentials(), settings(closed_port_url())).unwrap();
    fail(offline.search_companies("acme", false));

    let lines = captured_lines();
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    // The log says what was asked and how it went: method, path and status…
    assert!(
        has("atservicesrest/v1.0/zoneInformation → 200 in "),
        "{lines:#?}"
    );
    assert!(
        has("Autotask POST /zone1/ATServicesRest/v1.0/Companies/query → 200 in "),
        "{lines:#?}"
    );
    assert!(has(" → 429 in "), "{lines:#?}");
    assert!(has(" → 500 in "), "{lines:#?}");
    assert!(
        has("WARN clientbook::autotask::client Autotask GET"),
        "{lines:#?}"
    );
    assert!(
        has(&format!("WARN {} ", module_path!())) && has("unreachable: Autotask is not reachable"),
        "{lines:#?}"
    );
    assert!(
        has("credentials (field username)") && has("credentials (field secret)"),
        "{lines:#?}"
    );
    // …and never a value of the credentials, right or wrong.
    for line in &lines {
        for value in [
            USERNAME,
            SECRET,
            INTEGRATION_CODE,
            "nobody@example.com",
            "wrong-s3cret",
            "WRONG-CODE-7",
        ] {
            assert!(!line.contains(value), "a log line holds '{value}': {line}");
        }
    }
}

// ---- bounded waits and what the server says ------------------------------------------------

#[test]
fn a_retry_after_longer_than_the_cap_ends_the_request_at_once_saying_when() {
    let fake = FakeAutotask::start(sample());
    let client = client(&fake);
    // A day in seconds, a day as an HTTP date, and a bit more than the cap.
    let in_a_day =
        httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(86_400));
    for (header, said) in [
        ("86400", "24 h"),
        (in_a_day.as_str(), "24 h"),
        ("61", "61 s"),
        ("7200", "2 h"),
    ] {
        fake.fail_next(Fault::TooManyRequestsSaying(header.to_owned()));
        let started = Instant::now();
        let err = expect_err(client.company(11), "autotask");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{header}: waited"
        );
        let message = err.to_string();
        assert!(
            message.contains(&format!("left alone for {said}")),
            "{header}: {message}"
        );
        assert!(message.contains("at most 60 s"), "{message}");
    }
}

#[test]
fn a_cancel_stops_a_wait_at_once() {
    let fake = FakeAutotask::start(sample());
    let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut s = settings(fake.zone_url());
    s.max_retry_wait = Duration::from_secs(30);
    s.cancel = Some(cancel.clone());
    let ticks = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let seen = ticks.clone();
    s.on_retry = Some(Arc::new(move |w: RetryWait| {
        seen.lock().unwrap().push(w.remaining)
    }));
    let client = Client::new(test_credentials(), s).unwrap();
    fake.fail_next(Fault::TooManyRequests {
        retry_after: Some(20),
    });
    let stopper = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(2_300));
            cancel.store(true, std::sync::atomic::Ordering::SeqCst);
        })
    };
    let started = Instant::now();
    let err = client.company(11).unwrap_err();
    stopper.join().unwrap();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "stopped at once"
    );
    // The wait was counted down: told at its start and each second since.
    let ticks = ticks.lock().unwrap().clone();
    assert!(ticks.len() >= 3, "{ticks:?}");
    assert!(
        ticks[0] > Duration::from_secs(19) && ticks[1] < ticks[0],
        "{ticks:?}"
    );
}

#[test]
fn no_credential_survives_in_what_the_server_says() {
    let fake = FakeAutotask::start(sample());
    let client = client(&fake);
    let echoes = [
        format!("User {USERNAME} with secret {SECRET} is not allowed"),
        format!(
            "Integration code {} unknown",
            INTEGRATION_CODE.to_lowercase()
        ),
        format!("Query user={}", USERNAME.replace('@', "%40")),
    ];
    fake.fail_next(Fault::ServerError {
        errors: echoes.to_vec(),
    });
    let err = client.company(11).unwrap_err();
    let message = err.to_string();
    for secret in [USERNAME, SECRET, INTEGRATION_CODE, "api%40example.com"] {
        assert!(
            !message.to_lowercase().contains(&secret.to_lowercase()),
            "{secret} in {message}"
        );
    }
    assert!(
        message.contains("[secret]") && message.contains("[API user]"),
        "{message}"
    );
    // A body that is not JSON is quoted, and scrubbed, too.
    fake.fail_next(Fault::Body(
        500,
        format!("<html>denied for {SECRET}</html>"),
    ));
    let message = client.company(11).unwrap_err().to_string();
    assert!(
        !message.contains(SECRET) && message.contains("[secret]"),
        "{message}"
    );
}
