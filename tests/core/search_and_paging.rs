//! Search and the virtualised list on real files: prefix matching per word, case and accent
//! folding, and windows at any depth that agree with one ordered scan.

use crate::common::{add, scanned, scanned_as, search_ids, temp_store, TempDb};
use clientbook::sample::generated_customer;
use clientbook::store::{ActiveFilter, ListQuery, SortKey};
use clientbook::Store;

/// Every customer ID of the view, in order, from one streaming scan: the reference the
/// windows are checked against.
fn window_ids(store: &Store, q: &ListQuery, start: usize, len: u64) -> Vec<String> {
    let w = store.window(q, start as u64, len).unwrap();
    w.rows.into_iter().map(|c| c.customer_id).collect()
}

/// A new database holding the sample's generated customers 1 to `n`.
fn with_generated(n: u64) -> (TempDb, Store) {
    let (db, store) = temp_store();
    store.insert_many((1..=n).map(generated_customer)).unwrap();
    (db, store)
}

#[test]
fn search_matches_word_prefixes_in_id_name_and_city() {
    let (_db, store) = temp_store();
    add(&store, "Acme Corp", "Berlin");
    add(&store, "Zürich Consulting AG", "Zürich");
    add(&store, "Coastal Acme", "Genève");
    add(&store, "Bright Labs", "Cork");

    let acmes: &[&str] = &["acme-corp", "coastal-acme"];
    let zurich: &[&str] = &["zürich-consulting-ag"];
    let none: &[&str] = &[];
    for (search, found, why) in [
        ("acm co", acmes, ""),
        ("ACM", acmes, ""),
        ("zur", zurich, "accents fold away"),
        ("ZÜRICH", zurich, ""),
        ("geneve", &["coastal-acme"], "city is searched"),
        ("bright-labs", &["bright-labs"], "ID words are searched"),
        ("orp", none, "prefixes, not infixes"),
        ("acme xyz", none, "every word must match"),
        ("\"OR* NEAR(", none, "FTS syntax is just text"),
    ] {
        assert_eq!(search_ids(&store, search), found, "{search}: {why}");
    }
    assert_eq!(
        search_ids(&store, "   ").len(),
        5,
        "blank search lists everyone"
    );
}

#[test]
fn search_has_no_cap_on_reachable_matches() {
    let (_db, store) = with_generated(3_000);
    let q = ListQuery {
        search: "a".into(),
        ..Default::default()
    };
    let expected = scanned(&store, &q);
    assert!(
        expected.len() > 600,
        "the fixture matches many rows: {}",
        expected.len()
    );
    let total = store.view_total(&q).unwrap();
    assert_eq!(total as usize, expected.len());
    let last = store.window(&q, total - 1, 50).unwrap();
    assert_eq!(last.rows.len(), 1);
    assert_eq!(&last.rows[0].customer_id, expected.last().unwrap());
}

/// Every window at every sort, direction and filter equals the same slice of one full scan.
#[test]
fn windows_at_any_depth_agree_with_a_full_scan() {
    let (_db, store) = with_generated(2_000);
    for sort in [
        SortKey::Name,
        SortKey::CustomerId,
        SortKey::City,
        SortKey::Country,
    ] {
        for descending in [false, true] {
            for filter in [
                ActiveFilter::All,
                ActiveFilter::Active,
                ActiveFilter::Inactive,
            ] {
                let q = ListQuery {
                    search: String::new(),
                    filter,
                    sort,
                    descending,
                    ..Default::default()
                };
                let all = scanned(&store, &q);
                let total = store.view_total(&q).unwrap() as usize;
                assert_eq!(total, all.len());
                for start in [
                    0,
                    1,
                    255,
                    256,
                    257,
                    511,
                    512,
                    1_000,
                    total.saturating_sub(7),
                    total,
                ] {
                    let got = window_ids(&store, &q, start, 40);
                    let end = (start + 40).min(all.len());
                    assert_eq!(got, all[start.min(end)..end], "{q:?} at {start}");
                }
                for probe in [0, 1, 255, 256, 700, total.saturating_sub(1)] {
                    if let Some(id) = all.get(probe) {
                        assert_eq!(
                            store.position_of(&q, id).unwrap(),
                            Some(probe as u64),
                            "{q:?} {id}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn sort_order_folds_case_and_accents() {
    let (_db, store) = temp_store();
    for name in ["zeta", "Ärzte Praxis", "alpha", "Beta", "Öko", "oscar"] {
        add(&store, name, "");
    }
    let names = scanned_as(&store, &ListQuery::default(), |c| c.name.clone());
    assert_eq!(
        names,
        [
            "alpha",
            "Ärzte Praxis",
            "Beta",
            "My company",
            "Öko",
            "oscar",
            "zeta"
        ]
    );
}

#[test]
fn the_filter_splits_active_and_inactive() {
    let (_db, store) = temp_store();
    let a = add(&store, "Active One", "");
    let b = add(&store, "Paused One", "");
    store
        .set_validity(&b, clientbook::model::Validity::InvalidTemporarily)
        .unwrap();
    let active = ListQuery {
        filter: ActiveFilter::Active,
        ..Default::default()
    };
    let inactive = ListQuery {
        filter: ActiveFilter::Inactive,
        ..Default::default()
    };
    assert_eq!(store.view_total(&active).unwrap(), 2); // + own company
    assert_eq!(store.position_of(&active, &a).unwrap(), Some(0));
    assert_eq!(store.position_of(&active, &b).unwrap(), None);
    assert_eq!(store.view_total(&inactive).unwrap(), 1);
    assert_eq!(
        store.window(&inactive, 0, 10).unwrap().rows[0].customer_id,
        b
    );
}

#[test]
fn the_view_index_follows_writes_from_another_connection() {
    let (db, app) = temp_store();
    let q = ListQuery::default();
    assert_eq!(app.view_total(&q).unwrap(), 1);
    let cli = Store::open(&db.path).unwrap();
    add(&cli, "Written elsewhere", "");
    assert_eq!(
        app.view_total(&q).unwrap(),
        2,
        "a stale count is never served"
    );
}

/// A search's first page comes from one of several plans (order the few FTS matches by the rank
/// table or, before one exists, by joining them; or walk the list and match in order when there
/// are many); all must give exactly what the full search gives, at every depth, sort order and
/// filter.
#[test]
fn both_search_plans_agree_with_the_full_search() {
    use clientbook::model::{ValidCustomer, Validity};
    let (_db, store) = temp_store();
    // Thresholds scaled to the fixture: 1,000+ matches walk, a walk gives up after 2,000 rows.
    let store = store.with_search_tuning(1_000, 2_000);
    let cities = ["Zürich", "Berlin", "Århus", "Köln"];
    store
        .insert_many((0..4_500u32).map(|i| {
            let first = if i < 1_200 { "Zz Acme" } else { "Acme" };
            let name = format!(
                "{first} {} Ünit {}",
                ["North", "South", "East"][i as usize % 3],
                i
            );
            let id = format!("acme-{i}");
            (
                id.clone(),
                ValidCustomer {
                    customer_id: Some(id),
                    name,
                    street: None,
                    zip: None,
                    city: Some(cities[i as usize % 4].into()),
                    country: Some(["DE", "CH", "DK"][i as usize % 3].into()),
                    url: None,
                    comment: None,
                    validity: if i % 7 == 0 {
                        Validity::Invalid
                    } else {
                        Validity::Valid
                    },
                },
            )
        }))
        .unwrap();
    // "acme" matches all 4,500 rows (walk); "zz" matches 1,200 rows that sort last, so the walk
    // gives up and sorts (clustered); "acme 12 zur" matches a few (sorting plan).
    for search in ["acme", "UNIT so", "zz", "acme 12 zur", "arhus", "köln 44"] {
        for sort in [
            SortKey::Name,
            SortKey::CustomerId,
            SortKey::City,
            SortKey::Country,
        ] {
            for (filter, descending) in [
                (ActiveFilter::All, false),
                (ActiveFilter::Inactive, true),
                (ActiveFilter::Active, false),
            ] {
                let q = ListQuery {
                    search: search.into(),
                    filter,
                    sort,
                    descending,
                    ..Default::default()
                };
                let all = scanned(&store, &q);
                // With whatever rank table exists (none when the previous query sorted
                // differently), then surely with this sort's: the plain list's index builds it.
                let plain = ListQuery {
                    search: String::new(),
                    ..q.clone()
                };
                for ranked in [false, true] {
                    if ranked {
                        store.view_total(&plain).unwrap();
                    }
                    let first = window_ids(&store, &q, 0, 60);
                    assert_eq!(first, all[..all.len().min(60)], "{q:?} ranked: {ranked}");
                }
                assert_eq!(store.view_total(&q).unwrap() as usize, all.len());
                for start in [1, 300, all.len().saturating_sub(5)] {
                    let got = window_ids(&store, &q, start, 30);
                    let end = (start + 30).min(all.len());
                    assert_eq!(got, all[start.min(end)..end], "{q:?} at {start}");
                }
                if let Some(id) = all.get(all.len() / 2) {
                    assert_eq!(
                        store.position_of(&q, id).unwrap(),
                        Some((all.len() / 2) as u64)
                    );
                }
            }
        }
    }
}
