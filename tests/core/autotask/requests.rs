//! Requests (src/autotask/client.rs, companies.rs): zone lookup and its cache, each wrong
//! credential named, paging, batching, a moved zone, 429 and 500 answers, time-outs, offline,
//! and the fake server's own search.

use super::*;

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
    let with = |u: &str, s: &str, c: &str| client_as(&fake, u, s, c).test_connection();
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
    assert_not_reachable_within(&err, started, Duration::from_secs(5));
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
    assert_not_reachable_within(&err, started, Duration::from_secs(2));
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
