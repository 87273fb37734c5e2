//! Timestamps as the database keeps them (`created_at`, `updated_at`): UTC, to the millisecond,
//! `2026-11-23T14:05:00.000Z` — what SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')` writes, so that
//! their text order is their time order.

use time::format_description::well_known::Rfc3339;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

const STORED: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// How the forms [`from_text`] reads are named to the user.
pub const FORMS: &str = "2026-11-23T14:05:00Z, 2026-11-23 14:05:00 or 2026-11-23";

/// A date and time from a file, in the stored form: RFC 3339 with any offset (turned into
/// UTC); a date and time without one, with `T` or a space between and seconds optional (taken
/// as UTC); or a date alone (midnight UTC). `None` for anything else, and for years outside 1000–9999.
pub fn from_text(value: &str) -> Option<String> {
    let value = value.trim();
    let local = |text: &str| {
        PrimitiveDateTime::parse(
            text,
            format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        )
        .or_else(|_| {
            PrimitiveDateTime::parse(
                text,
                format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond]"),
            )
        })
        .or_else(|_| {
            PrimitiveDateTime::parse(
                text,
                format_description!("[year]-[month]-[day] [hour]:[minute]"),
            )
        })
        .ok()
    };
    let utc = if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
        t.to_offset(time::UtcOffset::UTC)
    } else if let Some(t) = local(&value.replacen('T', " ", 1)) {
        t.assume_utc()
    } else if let Ok(d) = Date::parse(value, format_description!("[year]-[month]-[day]")) {
        d.midnight().assume_utc()
    } else {
        return None;
    };
    if !(1000..=9999).contains(&utc.year()) {
        return None;
    }
    utc.format(STORED).ok()
}

#[cfg(test)]
mod tests {
    use super::from_text;

    #[test]
    fn reads_rfc3339_dates_with_times_and_plain_dates_into_the_stored_form() {
        for (text, stored) in [
            ("2026-11-23T20:13:48.424Z", "2026-11-23T20:13:48.424Z"),
            ("2026-11-23T20:13:48Z", "2026-11-23T20:13:48.000Z"),
            ("2026-11-23t20:13:48.1234567z", "2026-11-23T20:13:48.123Z"),
            ("2026-11-23T21:13:48+01:00", "2026-11-23T20:13:48.000Z"),
            ("2026-01-01T00:30:00+02:00", "2025-12-31T22:30:00.000Z"),
            ("2026-11-23 20:13:48", "2026-11-23T20:13:48.000Z"),
            ("2026-11-23T20:13:48", "2026-11-23T20:13:48.000Z"),
            ("2026-11-23 20:13:48.5", "2026-11-23T20:13:48.500Z"),
            ("2026-11-23 20:13", "2026-11-23T20:13:00.000Z"),
            (" 2026-11-23 ", "2026-11-23T00:00:00.000Z"),
        ] {
            assert_eq!(from_text(text).as_deref(), Some(stored), "{text}");
        }
    }

    #[test]
    fn refuses_anything_else() {
        for text in [
            "",
            "yesterday",
            "23/11/2026",
            "11/23/2026 14:05",
            "2026-13-01",
            "2026-02-30",
            "2026-11-23T25:00:00Z",
            "2026-11-23T20",
            "0999-01-01",
            "+12026-01-01T00:00:00Z",
            "2026-11-23T20:13:48Z trailing",
        ] {
            assert_eq!(from_text(text), None, "{text}");
        }
    }
}
