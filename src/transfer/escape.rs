//! CSV injection (OWASP): a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return is
//! run as a formula by spreadsheet programs. The exporter prefixes such a cell with an apostrophe
//! (spreadsheets then show it as text) and the importer removes exactly that apostrophe.
//!
//! To make the escape reversible for every value, a value that already starts with apostrophes
//! followed by a trigger character (`'=x`) gets one more apostrophe too (`''=x`), and the
//! importer removes one apostrophe only when apostrophes are followed by a trigger character.
//! A genuine leading apostrophe before anything else ("'t Hooft BV") is never touched.

use std::borrow::Cow;

fn is_trigger(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether `value` is apostrophes (possibly none) and then a trigger character.
fn needs_marker(value: &str) -> bool {
    value
        .trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(is_trigger)
}

/// The cell written for `value`.
pub fn escape(value: &str) -> Cow<'_, str> {
    if needs_marker(value) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// The value read from `cell`: one apostrophe removed when apostrophes precede a trigger.
pub fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_marker(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_escaped_and_come_back_exactly() {
        for value in [
            "=SUM(A1:A2)",
            "+49 30 1234",
            "-5",
            "@cmd",
            "\tx",
            "'=already",
            "''+two",
            "'t Hooft BV",
            "plain",
            "",
            "'",
            "a=b",
        ] {
            let cell = escape(value);
            assert_eq!(unescape(&cell), value, "{value:?} via {cell:?}");
        }
        for (value, cell) in [
            ("=1+1", "'=1+1"),
            ("'t Hooft BV", "'t Hooft BV"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(escape(value), cell, "{value:?}");
        }
    }

    #[test]
    fn other_tools_escapes_are_undone_and_genuine_apostrophes_kept() {
        for (cell, value) in [
            ("'=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")"),
            ("'t Hooft BV", "'t Hooft BV"),
            ("'s-Hertogenbosch", "'s-Hertogenbosch"),
            ("=not escaped", "=not escaped"),
        ] {
            assert_eq!(unescape(cell), value, "{cell:?}");
        }
    }
}
