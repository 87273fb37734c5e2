//! The search box: every word typed must match the start of a word in the customer ID, name or
//! city ("acm co" finds "Acme Corp"), ignoring case and accents. The same rule exists twice, as
//! an FTS5 query (for few matches) and as an in-order matcher (for many, see `view.rs`); both
//! read the same keys, made in Rust by `model::text::search_key`, so they always agree.

use crate::model::text::{is_token_char, search_key};

/// Bounds that keep one keystroke's query cheap however much is pasted into the box.
const MAX_WORDS: usize = 16;
const MAX_WORD_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    words: Vec<String>,
}

impl SearchQuery {
    /// Splits the input into words exactly as the stored keys are made ([`search_key`]);
    /// everything that is not a letter, digit or mark separates words and is otherwise ignored.
    pub fn parse(input: &str) -> SearchQuery {
        let words = input
            .split(|c: char| !is_token_char(c))
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .flat_map(|w| {
                let key = search_key(&w.chars().take(MAX_WORD_CHARS).collect::<String>());
                key.split(' ')
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .take(MAX_WORDS)
            .collect();
        SearchQuery { words }
    }

    /// Whether a row matches: `name_key` and `city_key` are search keys, the ID is not (its key
    /// is `id_key`, which the walk does not read). Runs once per row while the list is walked,
    /// so it allocates only for IDs that are not plain lowercase ASCII: for those, separators
    /// count as word breaks just as the key's spaces do.
    pub fn matches(&self, customer_id: &str, name_key: &str, city_key: &str) -> bool {
        let keyed_id;
        let id = if customer_id
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            customer_id
        } else {
            keyed_id = search_key(customer_id);
            keyed_id.as_str()
        };
        self.words.iter().all(|word| {
            [name_key, id, city_key]
                .iter()
                .any(|field| has_word_starting_with(field, word))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The FTS5 MATCH expression: each word quoted (so no word is read as an operator) and
    /// marked as a prefix; words are ANDed.
    pub fn to_fts(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Whether some word of `field` starts with `prefix` (both keys). The character before each
/// occurrence is read from `field` itself, so a match inside a word ("j" in "000jj") never
/// counts as a word start.
fn has_word_starting_with(field: &str, prefix: &str) -> bool {
    let mut from = 0;
    while let Some(found) = field[from..].find(prefix) {
        let at = from + found;
        let word_start = field[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_token_char(c));
        if word_start {
            return true;
        }
        from = at + field[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_quoted_prefixes() {
        assert_eq!(SearchQuery::parse("acm co").to_fts(), "\"acm\"* \"co\"*");
        assert_eq!(
            SearchQuery::parse("  Müller-Lüdenscheid ").to_fts(),
            "\"muller\"* \"ludenscheid\"*"
        );
    }

    #[test]
    fn operators_and_quotes_are_plain_separators() {
        let q = SearchQuery::parse("a\" OR b* NEAR(c) -d ^e");
        assert_eq!(q.words(), ["a", "or", "b", "near", "c", "d", "e"]);
        assert!(SearchQuery::parse("\"*()-:^").is_empty());
    }

    #[test]
    fn a_second_occurrence_inside_a_word_is_no_word_start() {
        // Found by the search_query fuzzer: after skipping the first "j" the rest of "000jj"
        // was read as if it began a word.
        let q = SearchQuery::parse("j");
        assert!(!q.matches("000jj-l", "000jj l", ""));
        assert!(q.matches("000jj-l", "000jj jl", ""));
        assert!(SearchQuery::parse("l").matches("000jj-l", "000jj l", ""));
    }

    #[test]
    fn matcher_wants_every_word_as_a_word_prefix() {
        let q = SearchQuery::parse("ACM Zür");
        assert!(q.matches("acme-corp", "acme corp", "zurich"));
        assert!(q.matches("x", "zurich acme", ""));
        assert!(!q.matches("acme-corp", "acme corp", "berlin"));
        assert!(
            !q.matches("x", "macme zurich", ""),
            "prefix of a word, not an infix"
        );
        assert!(
            SearchQuery::parse("müller").matches("MÜLLER-1", "", ""),
            "IDs fold too"
        );
    }

    #[test]
    fn private_use_characters_are_inside_words_as_for_fts5() {
        let q = SearchQuery::parse("a\u{e000}b c");
        assert_eq!(q.words(), ["a\u{e000}b", "c"]);
        assert!(!SearchQuery::parse("b").matches("x", "a\u{e000}b", ""));
        assert!(SearchQuery::parse("a\u{e000}").matches("x", "a\u{e000}b", ""));
    }

    #[test]
    fn bounded_whatever_is_pasted() {
        let q = SearchQuery::parse(&"word ".repeat(1000));
        assert_eq!(q.words().len(), MAX_WORDS);
        let q = SearchQuery::parse(&"x".repeat(10_000));
        assert_eq!(q.words()[0].chars().count(), MAX_WORD_CHARS);
    }
}
