//! ISO 3166-1 countries: what people type (alpha-2, alpha-3 or the English name) to the alpha-2
//! code the store keeps, and the list the country picker shows.

use super::text::fold;
use isocountry::CountryCode;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One entry of the country picker.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    pub name: &'static str,
}

/// Everyday English names the ISO list spells differently.
const ALIASES: &[(&str, &str)] = &[
    ("united states", "US"),
    ("usa", "US"),
    ("america", "US"),
    ("united kingdom", "GB"),
    ("uk", "GB"),
    ("great britain", "GB"),
    ("britain", "GB"),
    ("russia", "RU"),
    ("south korea", "KR"),
    ("korea", "KR"),
    ("north korea", "KP"),
    ("vietnam", "VN"),
    ("laos", "LA"),
    ("syria", "SY"),
    ("czech republic", "CZ"),
    ("turkiye", "TR"),
    ("holland", "NL"),
    ("ivory coast", "CI"),
    ("cape verde", "CV"),
    ("swaziland", "SZ"),
    ("macedonia", "MK"),
    ("burma", "MM"),
    ("palestine", "PS"),
    ("vatican", "VA"),
    ("brunei", "BN"),
    ("micronesia", "FM"),
    ("vatican city", "VA"),
    ("macau", "MO"),
    ("dr congo", "CD"),
    ("democratic republic of the congo", "CD"),
    ("congo kinshasa", "CD"),
    ("republic of the congo", "CG"),
    ("congo brazzaville", "CG"),
    ("eswatini", "SZ"),
    ("north macedonia", "MK"),
    ("british virgin islands", "VG"),
    ("us virgin islands", "VI"),
    ("united states virgin islands", "VI"),
    ("east timor", "TL"),
    ("uae", "AE"),
    ("u s", "US"),
    ("u s a", "US"),
    ("u k", "GB"),
    ("england", "GB"),
    ("scotland", "GB"),
    ("wales", "GB"),
    ("northern ireland", "GB"),
    ("republic of korea", "KR"),
    ("korea south", "KR"),
    ("s korea", "KR"),
    ("slovak republic", "SK"),
    ("republic of ireland", "IE"),
    ("eire", "IE"),
    ("czech rep", "CZ"),
    ("lao pdr", "LA"),
    ("u s virgin islands", "VI"),
    ("faeroe islands", "FO"),
    ("prc", "CN"),
    ("people s republic of china", "CN"),
    ("mainland china", "CN"),
];

/// Names in German (the importer reads German column names too) and in the countries' own
/// languages, as address lists kept in Europe write them. Folded as every name is: "Österreich"
/// is found as "osterreich", "España" as "espana".
const LOCAL_NAMES: &[(&str, &str)] = &[
    ("deutschland", "DE"),
    ("bundesrepublik deutschland", "DE"),
    ("osterreich", "AT"),
    ("oesterreich", "AT"),
    ("schweiz", "CH"),
    ("suisse", "CH"),
    ("svizzera", "CH"),
    ("frankreich", "FR"),
    ("italien", "IT"),
    ("italia", "IT"),
    ("spanien", "ES"),
    ("espana", "ES"),
    ("niederlande", "NL"),
    ("nederland", "NL"),
    ("belgien", "BE"),
    ("belgique", "BE"),
    ("belgie", "BE"),
    ("luxemburg", "LU"),
    ("danemark", "DK"),
    ("daenemark", "DK"),
    ("danmark", "DK"),
    ("schweden", "SE"),
    ("sverige", "SE"),
    ("norwegen", "NO"),
    ("norge", "NO"),
    ("finnland", "FI"),
    ("suomi", "FI"),
    ("island", "IS"),
    ("polen", "PL"),
    ("polska", "PL"),
    ("tschechien", "CZ"),
    ("tschechische republik", "CZ"),
    ("cesko", "CZ"),
    ("ceska republika", "CZ"),
    ("slowakei", "SK"),
    ("slovensko", "SK"),
    ("ungarn", "HU"),
    ("magyarorszag", "HU"),
    ("slowenien", "SI"),
    ("slovenija", "SI"),
    ("kroatien", "HR"),
    ("hrvatska", "HR"),
    ("serbien", "RS"),
    ("rumanien", "RO"),
    ("rumaenien", "RO"),
    ("bulgarien", "BG"),
    ("griechenland", "GR"),
    ("zypern", "CY"),
    ("turkei", "TR"),
    ("tuerkei", "TR"),
    ("irland", "IE"),
    ("estland", "EE"),
    ("eesti", "EE"),
    ("lettland", "LV"),
    ("latvija", "LV"),
    ("litauen", "LT"),
    ("lietuva", "LT"),
    ("weißrussland", "BY"),
    ("weissrussland", "BY"),
    ("russland", "RU"),
    ("großbritannien", "GB"),
    ("grossbritannien", "GB"),
    ("vereinigtes konigreich", "GB"),
    ("vereinigtes koenigreich", "GB"),
    ("vereinigte staaten", "US"),
    ("vereinigte staaten von amerika", "US"),
    ("kanada", "CA"),
    ("mexiko", "MX"),
    ("brasilien", "BR"),
    ("brasil", "BR"),
    ("indien", "IN"),
    ("sudafrika", "ZA"),
    ("suedafrika", "ZA"),
    ("agypten", "EG"),
    ("aegypten", "EG"),
    ("australien", "AU"),
    ("neuseeland", "NZ"),
    ("vereinigte arabische emirate", "AE"),
];

/// Every country, sorted by name, for the picker.
pub fn all() -> &'static [Country] {
    static LIST: OnceLock<Vec<Country>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list: Vec<Country> = CountryCode::iter()
            .map(|c| Country {
                code: c.alpha2(),
                name: c.name(),
            })
            .collect();
        list.sort_by_key(|c| fold(c.name));
        list
    })
}

/// The English name of an alpha-2 code, if it is one.
pub fn name_of(code: &str) -> Option<&'static str> {
    CountryCode::for_alpha2_caseless(code)
        .ok()
        .map(|c| c.name())
}

/// Finds the alpha-2 code for an alpha-2 or alpha-3 code or an English name (case- and
/// accent-insensitive, with or without a leading "the" or the ISO list's parenthesised part).
pub fn lookup(input: &str) -> Option<&'static str> {
    let trimmed = input.trim();
    let found = match trimmed.chars().count() {
        2 => CountryCode::for_alpha2_caseless(trimmed).ok(),
        3 => CountryCode::for_alpha3_caseless(trimmed).ok(),
        _ => None,
    };
    if let Some(code) = found {
        return Some(code.alpha2());
    }
    // "Germany (DE)" — what the picker shows — is accepted too.
    if let Some((name, rest)) = trimmed.rsplit_once('(') {
        if let Some(code) = rest.strip_suffix(')') {
            if let Ok(c) = CountryCode::for_alpha2_caseless(code.trim()) {
                if name.trim().is_empty() || by_name().get(&key(name)) == Some(&c.alpha2()) {
                    return Some(c.alpha2());
                }
            }
        }
    }
    by_name().get(&key(trimmed)).copied()
}

/// A name as looked up: folded, its words joined by single spaces, without a leading "the";
/// "&" reads as "and" and "St." as "Saint".
fn key(name: &str) -> String {
    let folded = fold(&name.replace('&', " and "));
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| if w == "st" { "saint" } else { w })
        .collect();
    let words = match words.first() {
        Some(&"the") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

fn by_name() -> &'static HashMap<String, &'static str> {
    static MAP: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for c in CountryCode::iter() {
            let name = c.name();
            map.insert(key(name), c.alpha2());
            // "Bolivia (Plurinational State of)" → "Bolivia"; "Taiwan, Province of China" → "Taiwan".
            if let Some(short) = name.split([',', '(']).next() {
                map.entry(key(short)).or_insert(c.alpha2());
            }
        }
        for (alias, code) in ALIASES.iter().chain(LOCAL_NAMES) {
            map.insert(key(alias), code);
        }
        map
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_any_case() {
        assert_eq!(lookup("de"), Some("DE"));
        assert_eq!(lookup(" DEU "), Some("DE"));
        assert_eq!(lookup("usa"), Some("US"));
        assert_eq!(lookup("XX"), None);
    }

    #[test]
    fn english_names_and_everyday_aliases() {
        assert_eq!(lookup("Germany"), Some("DE"));
        assert_eq!(lookup("the netherlands"), Some("NL"));
        assert_eq!(lookup("United States"), Some("US"));
        assert_eq!(lookup("United States of America"), Some("US"));
        assert_eq!(lookup("Bolivia"), Some("BO"));
        assert_eq!(lookup("Åland Islands"), Some("AX"));
        assert_eq!(lookup("aland islands"), Some("AX"));
        assert_eq!(lookup("Germany (DE)"), Some("DE"));
        assert_eq!(lookup("Atlantis"), None);
        assert_eq!(lookup(""), None);
        // Current and everyday names the ISO list does not use, "&" and "St.".
        for (name, code) in [
            ("North Macedonia", "MK"),
            ("Eswatini", "SZ"),
            ("Democratic Republic of the Congo", "CD"),
            ("Republic of the Congo", "CG"),
            ("UAE", "AE"),
            ("U.S.", "US"),
            ("U.K.", "GB"),
            ("Vatican City", "VA"),
            ("Bosnia & Herzegovina", "BA"),
            ("Trinidad & Tobago", "TT"),
            ("St. Lucia", "LC"),
            ("Saint Lucia", "LC"),
            ("US Virgin Islands", "VI"),
            ("British Virgin Islands", "VG"),
            ("East Timor", "TL"),
            ("Macau", "MO"),
            ("Korea (South)", "KR"),
            ("S. Korea", "KR"),
            ("Slovak Republic", "SK"),
            ("Republic of Ireland", "IE"),
            ("Czech Rep.", "CZ"),
            ("Lao PDR", "LA"),
            ("U.S. Virgin Islands", "VI"),
            ("Faeroe Islands", "FO"),
            ("PRC", "CN"),
            ("Taiwan", "TW"),
        ] {
            assert_eq!(lookup(name), Some(code), "{name}");
        }
    }

    #[test]
    fn german_and_native_names() {
        for (name, code) in [
            ("Deutschland", "DE"),
            ("Österreich", "AT"),
            ("OESTERREICH", "AT"),
            ("Schweiz", "CH"),
            ("Frankreich", "FR"),
            ("España", "ES"),
            ("Italia", "IT"),
            ("Nederland", "NL"),
            ("Brasil", "BR"),
            ("Česko", "CZ"),
            ("Großbritannien", "GB"),
            ("Vereinigte Staaten von Amerika", "US"),
        ] {
            assert_eq!(lookup(name), Some(code), "{name}");
        }
    }

    #[test]
    fn picker_list_is_complete_and_sorted() {
        let list = all();
        assert!(list.len() >= 249);
        assert_eq!(list[0].name, "Afghanistan");
        assert!(list.iter().any(|c| c.code == "DE" && c.name == "Germany"));
        assert_eq!(name_of("de"), Some("Germany"));
    }
}
