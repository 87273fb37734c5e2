//! The mapping status rules: what one look-up of a mapped company means. Pure, so every rule
//! is tested here without a server.

use super::Company;
use crate::model::MappingStatus;

/// What Autotask said about one mapped company id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The company, as Autotask has it now.
    Found(Company),
    /// No such id (404, a 200 with a null item, or absent from a batch answer).
    NotFound,
    /// Autotask refused to show it to this API user (403).
    Denied,
}

/// The status of a mapping whose cached company name is `cached_name`, and the name to cache
/// from now on. The customer's own name is never touched by any of this.
///
/// - `ok`: found, active, the name as cached;
/// - `renamed`: found and active, but the name changed (the cache takes the new name);
/// - `missing`: not found;
/// - `invalid`: found but inactive (the cache takes its current name), or access denied.
pub fn judge(cached_name: &str, lookup: &Lookup) -> (MappingStatus, String) {
    match lookup {
        Lookup::Found(c) if !c.active => (MappingStatus::Invalid, c.name.clone()),
        Lookup::Found(c) if c.name == cached_name => (MappingStatus::Ok, c.name.clone()),
        Lookup::Found(c) => (MappingStatus::Renamed, c.name.clone()),
        Lookup::NotFound => (MappingStatus::Missing, cached_name.to_owned()),
        Lookup::Denied => (MappingStatus::Invalid, cached_name.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MappingStatus::{Invalid, Missing, Renamed};

    fn found(name: &str, active: bool) -> Lookup {
        Lookup::Found(Company {
            id: 7,
            name: name.into(),
            number: None,
            city: None,
            active,
        })
    }

    /// That `judge` makes each look-up of a mapping whose cached name is `cached` into
    /// (status, name to cache).
    fn assert_judged(cached: &str, cases: &[(Lookup, MappingStatus, &str)]) {
        for (lookup, status, name) in cases {
            let expected = (*status, name.to_string());
            assert_eq!(judge(cached, lookup), expected, "{cached} / {lookup:?}");
        }
    }

    #[test]
    fn found_active_with_the_cached_name_is_ok() {
        assert_judged("Acme", &[(found("Acme", true), MappingStatus::Ok, "Acme")]);
    }

    #[test]
    fn found_active_with_another_name_is_renamed_and_caches_the_new_name() {
        assert_judged("Acme", &[(found("Acme Corp", true), Renamed, "Acme Corp")]);
        // A change of case alone is a rename too: the list should show Autotask's spelling.
        assert_judged("acme", &[(found("Acme", true), Renamed, "Acme")]);
    }

    #[test]
    fn not_found_is_missing_and_keeps_the_cached_name() {
        assert_judged("Acme", &[(Lookup::NotFound, Missing, "Acme")]);
    }

    #[test]
    fn inactive_or_denied_is_invalid() {
        assert_judged(
            "Acme",
            &[
                (found("Acme", false), Invalid, "Acme"),
                (found("Acme Old", false), Invalid, "Acme Old"),
                (Lookup::Denied, Invalid, "Acme"),
            ],
        );
    }
}
