//! The log: each request and failure named, never a credential.

use super::*;

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
    let with = |u: &str, s: &str, c: &str| client_as(&fake, u, s, c);
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
