//! The credentials round trip through the real OS keychain (src/autotask/credentials.rs).

use super::*;

#[test]
fn keychain_round_trip_save_load_delete() {
    let Some(keychain) = test_keychain("-roundtrip") else {
        return;
    };
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
