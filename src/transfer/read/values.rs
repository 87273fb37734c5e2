//! How a cell's value reads: placeholders for no value, ticks, yes and no as spreadsheets
//! write them, and whether a column takes a value as data (so that a row holding it is no
//! header row).

use super::*;

/// What other tools and people write for "no value" ("n/a", "-", "unknown"). Not "NA": that
/// is Namibia.
pub fn is_placeholder(value: &str) -> bool {
    // Asked of several values of every row: compared in place, not lowercased into a copy.
    [
        "-", "--", "n/a", "n.a.", "#n/a", "none", "unknown", "null", "?",
    ]
    .iter()
    .any(|p| value.eq_ignore_ascii_case(p))
}

/// A value that marks a yes in a spreadsheet column of ticks.
pub fn is_mark(value: &str) -> bool {
    matches!(
        value.trim(),
        "x" | "X" | "\u{2713}" | "\u{2714}" | "\u{2611}"
    )
}

/// A lowercased word that names the state itself ("active", "disabled"): it says the same in
/// an Active column and in an Inactive one.
pub fn state_word(lower: &str) -> Option<bool> {
    match lower {
        "active" | "enabled" => Some(true),
        "inactive" | "disabled" => Some(false),
        _ => None,
    }
}

/// A lowercased yes or no as a spreadsheet writes it (yes/no/true/false/1/0, y/n, a tick).
pub fn yes_no_word(lower: &str) -> Option<bool> {
    match lower {
        "yes" | "y" | "true" | "1" | "x" | "ja" | "wahr" => Some(true),
        _ if is_mark(lower) => Some(true),
        "no" | "n" | "false" | "0" | "nein" | "falsch" => Some(false),
        _ => None,
    }
}

/// yes/no/true/false/1/0 (and y/n, a tick, active/inactive) as a spreadsheet writes them.
pub fn parse_flag(value: &str) -> Option<bool> {
    let lower = value.trim().to_ascii_lowercase();
    state_word(&lower).or_else(|| yes_no_word(&lower))
}

/// Whether an Active or an Inactive (Archived) column's value says the customer is active:
/// yes/no as [`parse_flag`] reads them, the opposite in an Inactive column, but a word that
/// names the state the same in both.
pub fn says_active(field: Field, value: &str) -> Option<bool> {
    let lower = value.trim().to_ascii_lowercase();
    state_word(&lower).or_else(|| yes_no_word(&lower).map(|yes| yes != (field == Field::Inactive)))
}

/// Whether a column for `field` takes `value` as a value (a validity, a yes/no): in a row it
/// is data, even where it is also a name for the column ("Valid", "Active").
pub fn reads_as_value(field: Field, value: &str) -> bool {
    match field {
        Field::Validity => {
            crate::model::Validity::parse(value).is_some() || parse_flag(value).is_some()
        }
        Field::Active | Field::Inactive | Field::Own => parse_flag(value).is_some(),
        _ => false,
    }
}
