//! Text folding shared by sorting, searching and matching: the same rule everywhere means that
//! what the search box finds and how the list sorts never disagree.

use unicode_normalization::{
    char::is_combining_mark, is_nfc_quick, IsNormalized, UnicodeNormalization,
};

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

/// Whether `c` belongs to a word of the search: a letter, digit or mark, or a private-use
/// character (kept inside words, so that "a\u{e000}b" is one word as it reads).
pub fn is_token_char(c: char) -> bool {
    is_word_char(c)
        || matches!(c, '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..='\u{ffffd}' | '\u{100000}'..='\u{10fffd}')
}

/// The search and sort key of a text: folded ([`fold`]), with every run of characters that are
/// not part of a word ([`is_token_char`]) made one space ("Müller & Söhne—GmbH" → "muller sohne
/// gmbh"). Rust alone decides where words break: the FTS5 index reads these keys with its
/// `ascii` tokenizer, which splits on the spaces and on nothing else here (see
/// 004_search_keys.sql), so the index and the in-order matcher agree on every script.
pub fn search_key(s: &str) -> String {
    let folded = fold(s);
    let mut key = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !is_token_char(c)) {
        if word.is_empty() {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

/// A customer's stored keys: the search keys ([`search_key`]) of its ID, name and city — the
/// sort order of the list and what the FTS5 index reads — and its ID's [`identity`], by which
/// it is found and kept unique. An import makes them on its reading thread.
#[derive(Debug, Default)]
pub struct SearchKeys {
    pub id: String,
    pub name: String,
    pub city: String,
    pub identity: String,
}

impl SearchKeys {
    pub fn of(customer_id: &str, name: &str, city: &str) -> SearchKeys {
        SearchKeys {
            id: search_key(customer_id),
            name: search_key(name),
            city: search_key(city),
            identity: identity(customer_id),
        }
    }

    /// The keys after the customer ID became `customer_id`.
    pub fn set_id(&mut self, customer_id: &str) {
        self.id = search_key(customer_id);
        self.identity = identity(customer_id);
    }
}

/// `s` in Unicode normalization form C (composed characters), without copying when it is.
pub fn nfc(s: String) -> String {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => s,
        _ => s.nfc().collect(),
    }
}

/// A value as a message quotes it: in quotes, its first line, at most 60 characters (then "…"),
/// so that a 5 MB cell makes a one-line message, not a 5 MB one.
pub fn quoted(value: impl AsRef<str>) -> String {
    const MAX: usize = 60;
    let value = value.as_ref();
    let line = value.lines().next().unwrap_or("");
    let mut shown: String = line.chars().take(MAX).collect();
    if shown.len() < value.len() {
        shown.push('…');
    }
    format!("'{shown}'")
}

/// The form in which two identities (customer IDs, usernames, group and job names) are the same
/// "without regard to case", in every script: Unicode's canonical caseless match — full case
/// folding of the canonical decomposition, composed again (NFC) — so that "STRASSE" is
/// "straße", "ǅ" is "ǆ", "ΣΊΣΥΦΟΣ" is "σίσυφος" and "é" typed as e + accent is "é".
pub fn identity(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let decomposed: String = s.nfd().collect();
    let folded = icu_casemap::CaseMapper::new().fold_string(&decomposed);
    folded.nfc().collect()
}

/// Whether `c` shows nothing where it stands: Unicode's default-ignorable code points (zero
/// widths, joiners, fillers such as U+3164, variation selectors, direction marks, …).
pub fn is_invisible(c: char) -> bool {
    use icu_properties::{props::DefaultIgnorableCodePoint, CodePointSetData};
    CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
}

/// The characters that turn the direction of the text around them (embeddings, overrides,
/// isolates): text holding them can read differently from what it is ("Trojan Source").
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Line breaks beyond CR and LF: the line and paragraph separators (U+2028, U+2029) and NEL.
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{b}' | '\u{c}'
    )
}

/// Whether a person can see `s` and a search can find it: it holds at least one letter or
/// digit that shows.
pub fn is_findable(s: &str) -> bool {
    s.chars().any(|c| c.is_alphanumeric() && !is_invisible(c))
}

/// `s` as a terminal may show it: control characters (but line feed and tab), direction
/// controls and the line and paragraph separators written as `\uXXXX`, the form JSON reads
/// too, so that no stored text can move the cursor, recolour the terminal or reverse a line.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || is_direction_control(c)
            || matches!(c, '\u{2028}' | '\u{2029}')
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match unsafe_char(c) {
            true => out.push_str(&format!("\\u{:04x}", c as u32)),
            false => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
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

    /// That `f` makes each text into the one beside it.
    fn assert_makes(f: impl Fn(&str) -> String, cases: &[(&str, &str)]) {
        for (text, expected) in cases {
            assert_eq!(f(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn search_keys_are_folded_words_joined_by_one_space() {
        assert_makes(
            search_key,
            &[
                ("Müller & Söhne—GmbH", "muller sohne gmbh"),
                ("  'T Hooft   B.V. ", "t hooft b v"),
                // Marks go as in every folded text (dakuten too, as FTS5 remove_diacritics did).
                ("東京、トレーディング", "東京 トレーティンク"),
                ("a\u{e000}b\u{3000}c", "a\u{e000}b c"),
                ("!!!", ""),
            ],
        );
        // Only ASCII letters and digits, non-ASCII word characters and single spaces remain:
        // exactly what FTS5's ascii tokenizer splits as Rust does.
        for s in ["Ärzte-Zürich", "x_y.z", "𞤀𞤁 (Adlam)", "ǅemal"] {
            let key = search_key(s);
            assert!(
                key.chars()
                    .all(|c| c == ' ' || c.is_ascii_alphanumeric() || !c.is_ascii()),
                "{key:?}"
            );
            assert!(!key.contains("  ") && key.trim() == key, "{key:?}");
        }
    }

    #[test]
    fn folds_case_and_accents() {
        assert_makes(
            fold,
            &[
                ("Ärzte Zürich", "arzte zurich"),
                ("Cafe\u{301}", "cafe"),
                ("ŞİRKET", "sirket"),
                ("東京", "東京"),
            ],
        );
    }

    #[test]
    fn identity_is_full_case_folding_of_the_canonical_form() {
        for (a, b) in [
            ("ACME", "acme"),
            ("STRASSE", "straße"),
            ("Straße", "STRASSE"),
            ("ǅemal", "ǆemal"),
            ("ΣΊΣΥΦΟΣ", "σίσυφος"),
            ("Cafe\u{301}", "CAFÉ"),
            ("\u{212b}ngström", "åNGSTRÖM"), // the Ångström sign is Å
            ("ﬁrma", "FIRMA"),
        ] {
            assert_eq!(identity(a), identity(b), "{a} / {b}");
        }
        assert_ne!(identity("acme"), identity("acme-2"));
        assert_ne!(identity("Muller"), identity("Müller"));
    }

    #[test]
    fn what_cannot_be_seen_or_found() {
        for invisible in [
            "\u{200b}",
            "\u{3164}",
            "\u{115f}\u{1160}",
            "\u{301}",
            "\u{2800}",
            "!!!",
            " \u{feff} ",
        ] {
            assert!(!is_findable(invisible), "{invisible:?}");
        }
        for shown in ["a", "3M", "東京", "\u{3164}x"] {
            assert!(is_findable(shown), "{shown:?}");
        }
        assert!(is_invisible('\u{200d}') && is_invisible('\u{3164}') && !is_invisible('a'));
        assert!(is_direction_control('\u{202e}') && is_direction_control('\u{2067}'));
        assert!(!is_direction_control('\u{200f}'));
    }

    #[test]
    fn printable_text_cannot_steer_a_terminal() {
        assert_makes(
            |text| printable(text).into_owned(),
            &[
                ("plain, Zürich\tx\n", "plain, Zürich\tx\n"),
                ("evil\u{202e}cod.exe", "evil\\u202ecod.exe"),
                ("\u{1b}[31mred", "\\u001b[31mred"),
                ("a\u{2028}b\rc", "a\\u2028b\\u000dc"),
            ],
        );
        let json: String =
            serde_json::from_str(&format!("\"{}\"", printable("x\u{202e}y"))).unwrap();
        assert_eq!(json, "x\u{202e}y");
    }

    #[test]
    fn formats_thousands() {
        assert_eq!(thousands(5), "5");
        assert_eq!(thousands(2000), "2,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
