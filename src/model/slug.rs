//! Customer IDs derived from names: lowercase, runs of spaces and punctuation become one hyphen,
//! Unicode letters and digits are kept as they are ("Müller & Söhne GmbH" → "müller-söhne-gmbh").

use super::text::{is_invisible, is_word_char};
use unicode_normalization::UnicodeNormalization;

/// Longest customer ID the store accepts.
pub const MAX_ID_CHARS: usize = 150;

/// Derives a customer ID from a name, leaving out what cannot be seen (a Hangul filler, say).
/// Returns an empty string when the name has no letter or digit that shows (no valid name); the
/// store then suggests `customer-<n>`.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    let mut gap = false;
    for c in name.nfc() {
        if is_word_char(c) && !is_invisible(c) {
            if gap && !out.is_empty() {
                if chars + 1 >= MAX_ID_CHARS {
                    break;
                }
                out.push('-');
                chars += 1;
            }
            gap = false;
            for lower in c.to_lowercase() {
                if chars >= MAX_ID_CHARS {
                    return out;
                }
                out.push(lower);
                chars += 1;
            }
        } else {
            gap = true;
        }
    }
    out
}

/// The `n`-th alternative to a taken ID: `base-n`, with `base` shortened so that the result
/// stays within [`MAX_ID_CHARS`].
pub fn with_suffix(base: &str, n: u64) -> String {
    let suffix = format!("-{n}");
    let stem: String = base.chars().take(MAX_ID_CHARS - suffix.len()).collect();
    format!("{}{suffix}", stem.trim_end_matches('-'))
}

/// Whether `id` is made only of characters a customer ID may hold.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| is_word_char(c) || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// That `slugify` makes each name into the ID beside it.
    fn assert_slugs(cases: &[(&str, &str)]) {
        for (name, id) in cases {
            assert_eq!(slugify(name), *id, "{name:?}");
        }
    }

    #[test]
    fn lowercases_and_hyphenates() {
        assert_slugs(&[
            ("Acme Corp", "acme-corp"),
            ("  Acme,   Corp.  ", "acme-corp"),
            ("A&B -- Consulting!", "a-b-consulting"),
        ]);
    }

    #[test]
    fn keeps_unicode_letters_and_digits() {
        assert_slugs(&[
            ("Müller & Söhne GmbH", "müller-söhne-gmbh"),
            ("東京 Systems 2", "東京-systems-2"),
            ("Cafe\u{301} Noir", "café-noir"),
            ("ΑΘΗΝΑ", "αθηνα"),
        ]);
    }

    #[test]
    fn nothing_usable_gives_empty() {
        assert_slugs(&[("", ""), (" -- !! ", ""), ("🙂", "")]);
    }

    #[test]
    fn never_longer_than_the_limit_and_never_ends_in_a_hyphen() {
        let long = "word ".repeat(100);
        let id = slugify(&long);
        assert!(id.chars().count() <= MAX_ID_CHARS);
        assert!(!id.ends_with('-'));
        assert!(is_valid_id(&id));
    }

    #[test]
    fn suffixed_ids_stay_within_the_limit() {
        assert_eq!(with_suffix("acme-corp", 2), "acme-corp-2");
        let long = "a".repeat(MAX_ID_CHARS);
        let id = with_suffix(&long, 12);
        assert_eq!(id.chars().count(), MAX_ID_CHARS);
        assert!(id.ends_with("a-12"));
    }

    #[test]
    fn valid_ids() {
        assert!(is_valid_id("acme-corp"));
        assert!(is_valid_id("acme_corp.2"));
        assert!(is_valid_id("müller"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("acme corp"));
        assert!(!is_valid_id("acme/corp"));
    }
}
