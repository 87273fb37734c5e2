//! The search box: what a person types becomes an FTS5 query in which every word must match
//! the start of a word in the customer ID, name or city ("acm co" finds "Acme Corp").

use crate::model::text::is_word_char;

/// Bounds that keep one keystroke's query cheap however much is pasted into the box.
const MAX_WORDS: usize = 16;
const MAX_WORD_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    words: Vec<String>,
}

impl SearchQuery {
    /// Splits the input into words the way the FTS5 `unicode61` tokenizer does; everything that
    /// is not a letter, digit or combining mark separates words and is otherwise ignored.
    pub fn parse(input: &str) -> SearchQuery {
        let words = input
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .map(|w| w.chars().take(MAX_WORD_CHARS).collect())
            .collect();
        SearchQuery { words }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_quoted_prefixes() {
        assert_eq!(SearchQuery::parse("acm co").to_fts(), "\"acm\"* \"co\"*");
        assert_eq!(SearchQuery::parse("  Müller-Lüdenscheid ").to_fts(), "\"Müller\"* \"Lüdenscheid\"*");
    }

    #[test]
    fn operators_and_quotes_are_plain_separators() {
        let q = SearchQuery::parse("a\" OR b* NEAR(c) -d ^e");
        assert_eq!(q.words(), ["a", "OR", "b", "NEAR", "c", "d", "e"]);
        assert!(SearchQuery::parse("\"*()-:^").is_empty());
    }

    #[test]
    fn bounded_whatever_is_pasted() {
        let q = SearchQuery::parse(&"word ".repeat(1000));
        assert_eq!(q.words().len(), MAX_WORDS);
        let q = SearchQuery::parse(&"x".repeat(10_000));
        assert_eq!(q.words()[0].chars().count(), MAX_WORD_CHARS);
    }
}
