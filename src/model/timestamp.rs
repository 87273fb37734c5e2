//! Timestamps as the database keeps them (`created_at`, `updated_at`): UTC, to the millisecond,
//! `2026-11-23T14:05:00.000Z` — what SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')` writes, so that
//! their text order is their time order.

use time::format_description::well_known::Rfc3339;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

const STORED: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// How the forms [`from_text`] reads are named to the user.
pub const FORMS: &str = "2026-11-23T14:05:00Z, 2026-11-23 14:05:00 or 2026-11-23";

/// Why [`from_text`] refused a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// Not one of the forms it reads.
    NotADate,
    /// A date and time, but in UTC outside the years 1000–9999 (the stored form has four
    /// digits for the year).
    OutOfRange,
}

/// A date and time from a file, in the stored form: RFC 3339 with any offset (turned into
/// UTC); a date and time without one, with `T` or a space between and seconds optional (taken
/// as UTC); or a date alone (midnight UTC).
pub fn from_text(value: &str) -> Result<String, Unreadable> {
    let value = value.trim();
    // A date and time without a zone, with `T` or a space between.
    let local = |text: &str| {
        let text = &text.replacen('T', " ", 1);
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
    let to_utc = |t: OffsetDateTime| t.checked_to_offset(UtcOffset::UTC);
    let utc = if let Ok(t) = OffsetDateTime::parse(value, &Rfc3339) {
        to_utc(t)
    } else if let Some(t) = local(value) {
        Some(t.assume_utc())
    } else if let Some(t) =
        split_zone(value).and_then(|(rest, zone)| Some(local(rest.trim_end())?.assume_offset(zone)))
    {
        to_utc(t)
    } else if let Ok(d) = Date::parse(value, format_description!("[year]-[month]-[day]")) {
        Some(d.midnight().assume_utc())
    } else {
        return Err(Unreadable::NotADate);
    };
    // `None`: past the largest date the time crate holds (the end of 9999).
    match utc.filter(|t| (1000..=9999).contains(&t.year())) {
        Some(t) => t.format(STORED).map_err(|_| Unreadable::OutOfRange),
        None => Err(Unreadable::OutOfRange),
    }
}

/// A date and time with its zone written after it as other tools write it — " UTC", "Z",
/// "+01:00", " -0700", "+01" — split into the two.
fn split_zone(value: &str) -> Option<(&str, UtcOffset)> {
    for name in ["UTC", "GMT", "Z"] {
        let at = value.len().checked_sub(name.len())?;
        if value
            .get(at..)
            .is_some_and(|end| end.eq_ignore_ascii_case(name))
        {
            return Some((&value[..at], UtcOffset::UTC));
        }
    }
    // After the date's own hyphens: "2026-11-23 14:05" is 16 characters.
    let at = value.rfind(['+', '-']).filter(|&at| at >= 16)?;
    let digits = value[at + 1..].replacen(':', "", 1);
    let colon_at_two = value[at + 1..].find(':').is_none_or(|i| i == 2);
    if !(digits.len() == 2 || digits.len() == 4)
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !colon_at_two
    {
        return None;
    }
    let sign = if value[at..].starts_with('-') { -1 } else { 1 };
    let hours: i8 = digits[..2].parse().ok()?;
    let minutes: i8 = match &digits[2..] {
        "" => 0,
        m => m.parse().ok()?,
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    let zone = UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()?;
    Some((&value[..at], zone))
}

#[cfg(test)]
mod tests {
    use super::{from_text, Unreadable};

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
            // Zones as other tools write them (Hudu, Syncro, ISO 8601 basic offsets).
            ("2024-03-01 17:22:05 UTC", "2024-03-01T17:22:05.000Z"),
            ("2024-03-01 17:22 GMT", "2024-03-01T17:22:00.000Z"),
            ("2026-11-23 14:05Z", "2026-11-23T14:05:00.000Z"),
            ("2023-06-14 15:04:12 -0700", "2023-06-14T22:04:12.000Z"),
            ("2026-11-23T14:05:00+0100", "2026-11-23T13:05:00.000Z"),
            ("2026-11-23 14:05:00+01", "2026-11-23T13:05:00.000Z"),
            ("2026-11-23 14:05 +05:30", "2026-11-23T08:35:00.000Z"),
            ("2026-11-23 00:30:00 -03:30", "2026-11-23T04:00:00.000Z"),
        ] {
            assert_eq!(from_text(text).as_deref(), Ok(stored), "{text}");
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
            "+12026-01-01T00:00:00Z",
            "2026-11-23T20:13:48Z trailing",
            "2026-11-23 UTC",
            "2026-11-23 14:05 +1",
            "2026-11-23 14:05 +01:0",
            "2026-11-23 14:05 +0:100",
            "2026-11-23 14:05 +2500",
            "2026-11-23 14:05 PST",
        ] {
            assert_eq!(from_text(text), Err(Unreadable::NotADate), "{text}");
        }
    }

    #[test]
    fn refuses_years_the_stored_form_cannot_hold_as_out_of_range() {
        for text in [
            "0999-01-01",
            "0999-12-31T23:00:00Z",
            // In UTC before 1000 or past 9999: refused, not a panic.
            "1000-01-01T00:30:00+01:00",
            "9999-12-31 23:30:00 -0100",
            "9999-12-31T23:30:00-01:00",
        ] {
            assert_eq!(from_text(text), Err(Unreadable::OutOfRange), "{text}");
        }
        assert_eq!(
            from_text("9999-12-31T22:30:00-01:00").as_deref(),
            Ok("9999-12-31T23:30:00.000Z")
        );
    }
}
