//! Text folding shared by sorting, searching and matching: the same rule everywhere means that
//! what the search box finds and how the list sorts never disagree.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Lowercases and strips accents ("Ärzte Zürich" → "arzte zurich"), the way SQLite's FTS5
/// `unicode61 remove_diacritics 2` tokenizer sees text.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Characters that belong to a word: letters, digits and the marks that combine with them.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The number of characters a person would count (Unicode scalar values).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Formats a count with thousands separators for messages ("2,000").
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Ärzte Zürich"), "arzte zurich");
        assert_eq!(fold("Cafe\u{301}"), "cafe");
        assert_eq!(fold("ŞİRKET"), "sirket");
        assert_eq!(fold("東京"), "東京");
    }

    #[test]
    fn formats_thousands() {
        assert_eq!(thousands(5), "5");
        assert_eq!(thousands(2000), "2,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
