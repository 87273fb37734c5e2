//! Mapping customers to Autotask companies, against the fake Autotask server and real database
//! files: map / unmap, every status rule through verify and refresh all, batching (counted
//! requests), paging, faults and offline (nothing changes), pulling companies as customers, and
//! a scan of the database and an export for the credentials after a session of use.

use crate::common::{add, keychain_tests_wanted, temp_db, TempDb};
use crate::fake_autotask::{
    closed_port_url, company, customer_companies, test_credentials, test_settings, typed_company,
    FakeAutotask, Fault, INTEGRATION_CODE, SECRET, USERNAME,
};
use clientbook::autotask::{credentials, mapping, Client, Settings};
use clientbook::model::{MappingCheck, MappingStatus};
use clientbook::secrets::Keychain;
use clientbook::store::ListQuery;
use clientbook::transfer::{self, ExportOptions};
use clientbook::{Error, Store};
use serde_json::{json, Value};
use std::time::Duration;

fn settings(zone_url: String) -> Settings {
    test_settings(zone_url, Duration::from_secs(5))
}

fn client(fake: &FakeAutotask) -> Client {
    Client::new(test_credentials(), settings(fake.zone_url())).unwrap()
}

fn offline_client() -> Client {
    Client::new(test_credentials(), settings(closed_port_url())).unwrap()
}

fn status_of(store: &Store, customer_id: &str) -> Option<(i64, String, MappingStatus)> {
    store
        .customer(customer_id)
        .unwrap()
        .autotask
        .map(|m| (m.company_id, m.company_name, m.status))
}

fn expect_err(result: Result<impl std::fmt::Debug, Error>, kind: &str) -> Error {
    let err = result.expect_err("expected an error");
    assert_eq!(err.kind(), kind, "{err}");
    err
}

/// A new database, and a fake Autotask holding the companies of `customer_companies`.
fn with_companies() -> (TempDb, FakeAutotask, Store) {
    let db = temp_db();
    let fake = FakeAutotask::start(customer_companies());
    let store = Store::open(&db.path).unwrap();
    (db, fake, store)
}

#[test]
fn map_stores_id_name_status_and_time_and_survives_reopening() {
    let (db, fake, store) = with_companies();
    let id = add(&store, "Acme", "Berlin");
    let c = mapping::map(&store, &client(&fake), &id, 11).unwrap();
    assert_eq!(c.autotask_company.as_deref(), Some("Acme Corp"));
    let m = c.autotask.clone().unwrap();
    assert_eq!((m.company_id, m.status), (11, MappingStatus::Ok), "{m:?}");
    assert!(m.checked_at.ends_with('Z'), "{}", m.checked_at);
    assert_eq!(c.name, "Acme", "the customer's own name stays");
    // The own company may be mapped too (Companies/0 is the owner company).
    let own = store.customer("my-company").unwrap();
    mapping::map(&store, &client(&fake), &own.customer_id, 0).unwrap();
    // An inactive company can be mapped, and says so.
    let other = add(&store, "Acme Holdings", "Paris");
    mapping::map(&store, &client(&fake), &other, 12).unwrap();
    assert_eq!(status_of(&store, &other).unwrap().2, MappingStatus::Invalid);
    drop(store);

    let store = Store::open(&db.path).unwrap();
    assert_eq!(store.customer(&id).unwrap(), c);
    let mapped: Vec<(String, i64)> = store
        .mapped_customers()
        .unwrap()
        .into_iter()
        .map(|(id, m)| (id, m.company_id))
        .collect();
    assert_eq!(
        mapped,
        [
            ("acme".into(), 11),
            ("acme-holdings".into(), 12),
            ("my-company".into(), 0)
        ]
    );
}

#[test]
fn map_refuses_a_company_autotask_does_not_have_and_changes_nothing() {
    let (_db, fake, store) = with_companies();
    let id = add(&store, "Acme", "Berlin");
    let before = store.customer(&id).unwrap();
    let err = expect_err(mapping::map(&store, &client(&fake), &id, 999), "refused");
    assert!(
        err.to_string().contains("no company with the id 999"),
        "{err}"
    );
    fake.answer_null_item_for_missing();
    expect_err(mapping::map(&store, &client(&fake), &id, 999), "refused");
    assert_eq!(store.customer(&id).unwrap(), before);
    // An unknown customer is refused before any request.
    let requests = fake.api_requests();
    expect_err(
        mapping::map(&store, &client(&fake), "nobody", 11),
        "not_found",
    );
    assert_eq!(fake.api_requests(), requests);
}

#[test]
fn unmap_removes_only_the_mapping() {
    let (_db, fake, store) = with_companies();
    let id = add(&store, "Acme", "Berlin");
    let before = store.customer(&id).unwrap();
    mapping::map(&store, &client(&fake), &id, 11).unwrap();
    let after = store.unmap_customer(&id).unwrap();
    assert_eq!(after, before, "every field as before, timestamps included");
    assert!(store.mapped_customers().unwrap().is_empty());
    expect_err(mapping::verify(&store, &client(&fake), &id), "refused");
}

/// Maps customers a…f to companies 11, 13, 14, 15, 16 and 12 and then changes Autotask:
/// 13 renamed, 14 deactivated, 15 gone, 16 denied to this user, 12 reactivated + renamed.
fn mapped_then_changed(store: &Store, fake: &FakeAutotask) -> Vec<String> {
    let client = client(fake);
    let ids: Vec<String> = [
        ("A", 11),
        ("B", 13),
        ("C", 14),
        ("D", 15),
        ("E", 16),
        ("F", 12),
    ]
    .iter()
    .map(|(name, company)| {
        let id = add(store, name, "");
        mapping::map(store, &client, &id, *company).unwrap();
        id
    })
    .collect();
    fake.set_field(13, "companyName", json!("Globex International"));
    fake.set_field(14, "isActive", json!(false));
    fake.remove(15);
    fake.deny(16);
    fake.set_field(12, "isActive", json!(true));
    ids
}

fn expected_statuses() -> Vec<(i64, String, MappingStatus)> {
    use MappingStatus::*;
    vec![
        (11, "Acme Corp".into(), Ok),
        (13, "Globex International".into(), Renamed),
        (14, "Initech".into(), Invalid),
        (15, "Umbrella".into(), Missing),
        (16, "Hooli".into(), Invalid),
        (12, "ACME Holdings".into(), Ok),
    ]
}

#[test]
fn verify_applies_every_status_rule() {
    let (_db, fake, store) = with_companies();
    let ids = mapped_then_changed(&store, &fake);
    let client = client(&fake);
    for (id, expected) in ids.iter().zip(expected_statuses()) {
        let check = mapping::verify(&store, &client, id).unwrap();
        assert_eq!(
            (check.company_id, check.company_name.clone(), check.status),
            expected,
            "{id}"
        );
        assert_eq!(status_of(&store, id).unwrap(), expected, "{id} stored");
    }
    // The customer's own name is never overwritten by a rename.
    assert_eq!(store.customer(&ids[1]).unwrap().name, "B");
    // Renamed once; the next check finds the cached (new) name: ok.
    assert_eq!(
        mapping::verify(&store, &client, &ids[1]).unwrap().status,
        MappingStatus::Ok
    );
    // Missing also when Autotask answers 200 with a null item.
    fake.answer_null_item_for_missing();
    fake.remove(11);
    assert_eq!(
        mapping::verify(&store, &client, &ids[0]).unwrap().status,
        MappingStatus::Missing
    );
}

#[test]
fn refresh_all_applies_the_same_rules_in_one_batch() {
    let (_db, fake, store) = with_companies();
    let ids = mapped_then_changed(&store, &fake);
    let client = client(&fake);
    let before = fake.api_requests();
    let mut calls = Vec::new();
    let checks = mapping::refresh_all(&store, &client, &mut |done, total| {
        calls.push((done, total));
        true
    })
    .unwrap();
    assert_eq!(fake.api_requests() - before, 1, "6 mappings ⇒ one query");
    assert_eq!(calls, [(0, 6), (6, 6)]);
    for (id, (company, name, status)) in ids.iter().zip(expected_statuses()) {
        // A denied company is absent from query answers, so a batch sees it as missing.
        let status = if company == 16 {
            MappingStatus::Missing
        } else {
            status
        };
        let want = MappingCheck {
            customer_id: id.clone(),
            company_id: company,
            company_name: name.clone(),
            status,
        };
        assert!(checks.contains(&want), "{want:?} in {checks:?}");
        assert_eq!(status_of(&store, id).unwrap(), (company, name, status));
    }
}

#[test]
fn refresh_all_of_10000_mappings_takes_20_requests_and_follows_pages() {
    let db = temp_db();
    let companies: Vec<Value> = (1..=10_000)
        .map(|i| company(i, &format!("Company {i}"), "Town", true))
        .collect();
    let fake = FakeAutotask::start(companies);
    let store = Store::open(&db.path).unwrap();
    let client = client(&fake);
    let pulled = mapping::pull(&store, &client, false).unwrap();
    assert_eq!(pulled.inserted, 10_000);
    assert_eq!(store.mapped_customers().unwrap().len(), 10_000);

    fake.set_field(7, "companyName", json!("Seven Renamed"));
    fake.remove(9_999);
    let lookups = fake.zone_lookups();
    let before = fake.api_requests();
    let mut last = (0, 0);
    let checks = mapping::refresh_all(&store, &client, &mut |done, total| {
        last = (done, total);
        true
    })
    .unwrap();
    assert_eq!(fake.api_requests() - before, 20, "≤ 500 ids per request");
    assert_eq!(fake.zone_lookups(), lookups, "the zone stays cached");
    assert_eq!(last, (10_000, 10_000));
    assert_eq!(checks.len(), 10_000);
    let count = |s: MappingStatus| checks.iter().filter(|c| c.status == s).count();
    assert_eq!(count(MappingStatus::Ok), 9_998);
    assert_eq!(count(MappingStatus::Renamed), 1);
    assert_eq!(count(MappingStatus::Missing), 1);

    // The same 10,000 with 200 companies per page: 3 pages per 500-id batch, all followed.
    fake.set_page_size(200);
    let before = fake.api_requests();
    let checks = mapping::refresh_all(&store, &client, &mut |_, _| true).unwrap();
    assert_eq!(fake.api_requests() - before, 20 * 3);
    assert_eq!(
        checks
            .iter()
            .filter(|c| c.status == MappingStatus::Ok)
            .count(),
        9_999,
        "the renamed one is ok now"
    );
}

#[test]
fn a_cancelled_or_failed_refresh_and_offline_change_nothing() {
    let (_db, fake, store) = with_companies();
    let ids = mapped_then_changed(&store, &fake);
    let snapshot = store.mapped_customers().unwrap();
    let client = client(&fake);

    // Cancelled after the first (only) batch: nothing written.
    expect_err(
        mapping::refresh_all(&store, &client, &mut |done, _| done == 0),
        "cancelled",
    );
    assert_eq!(store.mapped_customers().unwrap(), snapshot);

    // Autotask fails: nothing written, its message shown.
    fake.fail_next(Fault::ServerError {
        errors: vec!["Something broke.".into()],
    });
    let err = expect_err(
        mapping::refresh_all(&store, &client, &mut |_, _| true),
        "autotask",
    );
    assert!(err.to_string().contains("Something broke."), "{err}");
    fake.fail_next(Fault::MalformedJson);
    expect_err(mapping::verify(&store, &client, &ids[1]), "autotask");
    assert_eq!(store.mapped_customers().unwrap(), snapshot);

    // Offline: every Autotask action fails fast with "not reachable"; nothing changes.
    let offline = offline_client();
    let started = std::time::Instant::now();
    let err = expect_err(
        mapping::refresh_all(&store, &offline, &mut |_, _| true),
        "unreachable",
    );
    assert!(err.to_string().contains("not reachable"), "{err}");
    expect_err(mapping::verify(&store, &offline, &ids[0]), "unreachable");
    expect_err(mapping::map(&store, &offline, &ids[0], 13), "unreachable");
    expect_err(mapping::pull(&store, &offline, false), "unreachable");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(store.mapped_customers().unwrap(), snapshot);
    assert_eq!(store.count_customers().unwrap(), 7);
    // Local work goes on.
    store.unmap_customer(&ids[0]).unwrap();
}

fn pull_sample() -> Vec<Value> {
    vec![
        company(0, "Our MSP", "Springfield", true),
        company(21, "Acme Corp", "Berlin", true),
        company(22, "Acme Corp", "Hamburg", true), // same name ⇒ the next free ID
        company(23, "Globex", "Berlin", true),     // "globex" is taken ⇒ globex-2
        company(24, "Old Customer", "Bonn", false), // inactive: not listed
        typed_company(25, "Prospect Ltd", "Rome", true, 3), // not a Customer
        typed_company(26, "Vendor Inc", "Oslo", true, 7),
        company(27, "   ", "Nowhere", true), // no name ⇒ an error row
        company(28, "Initech", "Austin", true),
    ]
}

#[test]
fn pull_dry_run_writes_nothing_then_pull_creates_and_maps_then_skips_mapped() {
    let db = temp_db();
    let fake = FakeAutotask::start(pull_sample());
    fake.set_page_size(2); // every page is read: 6 matches ⇒ 3 pages
    let store = Store::open(&db.path).unwrap();
    let client = client(&fake);
    add(&store, "Globex", "Berlin");
    let initech = add(&store, "Initech Local", "Austin");
    mapping::map(&store, &client, &initech, 28).unwrap();
    let count = store.count_customers().unwrap();

    let before = fake.api_requests();
    let dry = mapping::pull(&store, &client, true).unwrap();
    assert_eq!(fake.api_requests() - before, 3, "3 pages");
    let expected_created = [
        ("our-msp", 0, "Our MSP"),
        ("acme-corp", 21, "Acme Corp"),
        ("acme-corp-2", 22, "Acme Corp"),
        ("globex-2", 23, "Globex"),
    ];
    let created: Vec<(&str, i64, &str)> = dry
        .created
        .iter()
        .map(|c| {
            (
                c.customer_id.as_str(),
                c.company_id,
                c.company_name.as_str(),
            )
        })
        .collect();
    assert_eq!(created, expected_created);
    assert_eq!(
        dry.summary_json(),
        json!({"inserted": 4, "updated": 0, "skipped": 2, "errors": [
            {"row": 27, "column": "name", "message": dry.errors[0].message}
        ]})
    );
    assert_eq!(dry.already_mapped, 1);
    assert!(dry.dry_run);
    assert_eq!(
        store.count_customers().unwrap(),
        count,
        "a dry run writes nothing"
    );
    assert_eq!(store.mapped_customers().unwrap().len(), 1);

    let real = mapping::pull(&store, &client, false).unwrap();
    assert_eq!(real.summary_json(), dry.summary_json());
    assert_eq!(real.created, dry.created);
    assert_eq!(store.count_customers().unwrap(), count + 4);
    let acme2 = store.customer("acme-corp-2").unwrap();
    assert_eq!(
        (acme2.name.as_str(), acme2.city.as_deref()),
        ("Acme Corp", Some("Hamburg"))
    );
    assert_eq!(
        status_of(&store, "acme-corp-2").unwrap(),
        (22, "Acme Corp".into(), MappingStatus::Ok)
    );
    assert_eq!(
        status_of(&store, "globex"),
        None,
        "the existing one untouched"
    );

    let again = mapping::pull(&store, &client, false).unwrap();
    assert_eq!(
        (again.inserted, again.skipped, again.already_mapped),
        (0, 6, 5)
    );
    assert_eq!(store.count_customers().unwrap(), count + 4);
}

// ---- no secret in the database or an export --------------------------------------------

#[test]
fn after_a_session_the_database_and_an_export_hold_no_credential() {
    if !keychain_tests_wanted() {
        return;
    }
    let keychain = Keychain::new(format!("clientbook-scan-test-{}", std::process::id()));
    if let Err(e) = credentials::save(&keychain, &test_credentials()) {
        panic!(
            "No usable OS keychain (Secret Service) for this test: {e}\n\
             Run the tests through scripts/test, or set CLIENTBOOK_SKIP_KEYCHAIN_TESTS=1."
        );
    }
    let db = temp_db();
    let fake = FakeAutotask::start(customer_companies());
    {
        let store = Store::open(&db.path).unwrap();
        let stored = credentials::load_stored(&keychain).unwrap().unwrap();
        let client = Client::new(stored, settings(fake.zone_url())).unwrap();
        let id = add(&store, "Acme", "Berlin");
        mapping::map(&store, &client, &id, 11).unwrap();
        mapping::pull(&store, &client, false).unwrap();
        fake.set_field(13, "companyName", json!("Globex International"));
        mapping::refresh_all(&store, &client, &mut |_, _| true).unwrap();
        let _ = mapping::verify(&store, &offline_client(), &id);
        transfer::export(
            &store,
            &ListQuery::default(),
            &db.dir.path().join("export.csv"),
            ExportOptions::default(),
        )
        .unwrap();
    }
    credentials::delete(&keychain).unwrap();

    let mut scanned = 0;
    for entry in std::fs::read_dir(db.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        scanned += 1;
        for value in [SECRET, INTEGRATION_CODE, USERNAME] {
            let needle = value.as_bytes();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} contains a credential value",
                path.display()
            );
        }
    }
    assert!(scanned >= 2, "the database and the export were scanned");
}

#[test]
fn undoing_a_delete_brings_the_mapping_back() {
    let (_db, fake, store) = with_companies();
    let id = add(&store, "Acme", "Berlin");
    let mapped = mapping::map(&store, &client(&fake), &id, 11).unwrap();
    let gone = store.delete_customer(&id).unwrap();
    assert!(store.mapped_customers().unwrap().is_empty());
    assert_eq!(store.restore_customer(&gone).unwrap(), mapped);
}

#[test]
fn a_version_1_database_is_upgraded_with_its_customers_unmapped() {
    let db = temp_db();
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute_batch(include_str!("../../src/store/migrations/001_init.sql"))
            .unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1; PRAGMA application_id = 1128426289;
             INSERT INTO customers (customer_id, name, name_key, created_at, updated_at)
             VALUES ('old', 'Old One', 'old one', '2020-01-01T00:00:00.000Z',
                     '2020-01-01T00:00:00.000Z');",
        )
        .unwrap();
    }
    let fake = FakeAutotask::start(customer_companies());
    let store = Store::open(&db.path).unwrap();
    let old = store.customer("old").unwrap();
    assert_eq!((old.autotask, old.autotask_company), (None, None));
    mapping::map(&store, &client(&fake), "old", 13).unwrap();
    assert_eq!(
        status_of(&store, "old").unwrap(),
        (13, "Globex".into(), MappingStatus::Ok)
    );
}
