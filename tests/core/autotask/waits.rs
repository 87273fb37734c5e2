//! Bounded waits and what the server says: a Retry-After beyond the cap, a cancel during a
//! wait, and no credential in an answer's text.

use super::*;

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
