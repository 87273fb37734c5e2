//! Reading Autotask's answers: `{"errors": [...]}` bodies, JSON, `Retry-After`, and the
//! errors a person reads when an answer is not what was asked for.

use crate::{Error, Result};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// Wait after a 429 that carries no usable `Retry-After`.
pub(super) const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);

/// The `errors` strings of an Autotask error body, verbatim (empty if there are none).
pub(super) fn error_texts(text: &str) -> Vec<String> {
    let Ok(json) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let errors = json.get("errors").or_else(|| json.get("Errors"));
    match errors {
        Some(Value::Array(items)) => items
            .iter()
            .map(|e| match e {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// An error answer: the `errors` verbatim when there are any, else the status and some text.
pub(super) fn answer_error(status: StatusCode, text: &str) -> Error {
    let errors = error_texts(text);
    let code = status.as_u16();
    let reason = status.canonical_reason().unwrap_or("error");
    let message = if !errors.is_empty() {
        format!("Autotask answered HTTP {code}: {}", errors.join("; "))
    } else if text.trim().is_empty() {
        format!("Autotask answered HTTP {code} ({reason}) with no explanation.")
    } else {
        format!(
            "Autotask answered HTTP {code} ({reason}): {}",
            clip(text.trim(), 300)
        )
    };
    Error::Autotask {
        status: Some(code),
        message,
    }
}

pub(super) fn parse_json(status: StatusCode, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| Error::Autotask {
        status: Some(status.as_u16()),
        message: format!(
            "Autotask sent an answer that is not valid JSON (HTTP {}): {e}.",
            status.as_u16()
        ),
    })
}

/// Refuses to send the credentials to a URL outside the zone (a paging link elsewhere).
pub(super) fn same_origin(base: &str, url: &str) -> Result<()> {
    let origin = |u: &str| reqwest::Url::parse(u).ok().map(|u| u.origin());
    match (origin(base), origin(url)) {
        (Some(a), Some(b)) if a == b => Ok(()),
        _ => Err(Error::Autotask {
            status: None,
            message: format!(
                "Autotask pointed to '{}', outside its zone; the request was not sent.",
                clip(url, 120)
            ),
        }),
    }
}

/// `Retry-After` as a wait: seconds, or an HTTP date (the time until then; none if it has
/// passed); an absent or unreadable value means [`DEFAULT_RETRY_AFTER`].
pub(super) fn retry_after(headers: &HeaderMap) -> Duration {
    let Some(value) = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()) else {
        return DEFAULT_RETRY_AFTER;
    };
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Duration::from_secs(seconds);
    }
    match httpdate::parse_http_date(value) {
        Ok(at) => at
            .duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
        Err(_) => DEFAULT_RETRY_AFTER,
    }
}

/// A wait as a person says it: "45 s", "3 min", "2 h 5 min", "3 days".
pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=119 => format!("{} s", s.max(1)),
        120..=5_999 => format!("{} min", s.div_ceil(60)),
        6_000..=172_799 => match (s / 3600, (s % 3600).div_ceil(60)) {
            (h, 0) => format!("{h} h"),
            (h, 60) => format!("{} h", h + 1),
            (h, m) => format!("{h} h {m} min"),
        },
        _ => format!("{} days", s.div_ceil(86_400)),
    }
}

/// Server text with the API user's secret, integration code and user name taken out, wherever
/// they appear (as sent, in another case, or URL-encoded): a message quotes what Autotask said,
/// and must never show a credential.
pub(super) fn scrub(text: &str, credentials: &super::credentials::Credentials) -> String {
    let mut out = text.to_owned();
    for (value, shown) in [
        (credentials.secret.as_str(), "[secret]"),
        (credentials.integration_code.as_str(), "[integration code]"),
        (credentials.username.as_str(), "[API user]"),
    ] {
        // A value too short to tell from ordinary text is left alone (no real one is).
        if value.chars().count() < 3 {
            continue;
        }
        let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        let escaped: String = value
            .bytes()
            .map(|b| match b.is_ascii_alphanumeric() {
                true => char::from(b).to_string(),
                false => format!("%{b:02X}"),
            })
            .collect();
        for form in [value.to_owned(), encoded, escaped] {
            out = replace_ignoring_case(&out, &form, shown);
        }
    }
    out
}

/// `text` with every occurrence of `what`, in any case, replaced by `with`.
fn replace_ignoring_case(text: &str, what: &str, with: &str) -> String {
    let lower_text = text.to_lowercase();
    let lower_what = what.to_lowercase();
    // Lowercasing can change lengths outside ASCII: then only exact matches are replaced.
    if lower_text.len() != text.len() || lower_what.len() != what.len() {
        return text.replace(what, with);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (at, _) in lower_text.match_indices(&lower_what) {
        if at < rest {
            continue;
        }
        out.push_str(&text[rest..at]);
        out.push_str(with);
        rest = at + what.len();
    }
    out.push_str(&text[rest..]);
    out
}

pub(super) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        s.chars().take(max).chain(std::iter::once('…')).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn errors_bodies_are_read_verbatim() {
        assert_eq!(
            error_texts(r#"{"errors":["IntegrationCode is invalid."]}"#),
            ["IntegrationCode is invalid."]
        );
        assert!(error_texts("<html>oops</html>").is_empty());
        let err = answer_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            r#"{"errors":["a; b","c"]}"#,
        );
        assert_eq!(err.to_string(), "Autotask answered HTTP 500: a; b; c");
    }

    #[test]
    fn retry_after_reads_seconds_or_a_date_and_defaults_to_half_a_minute() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), Duration::from_secs(30));
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Duration::from_secs(7));
        // A date: the time until then; one that has passed: no wait.
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Duration::ZERO);
        let later = std::time::SystemTime::now() + Duration::from_secs(3600);
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_str(&httpdate::fmt_http_date(later)).unwrap(),
        );
        let wait = retry_after(&h);
        assert!(
            wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600),
            "{wait:?}"
        );
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), DEFAULT_RETRY_AFTER);
    }

    #[test]
    fn waits_read_as_a_person_says_them() {
        for (secs, said) in [
            (0, "1 s"),
            (45, "45 s"),
            (150, "3 min"),
            (3600 * 2 + 300, "2 h 5 min"),
            (86_400, "24 h"),
            (86_400 * 3, "3 days"),
        ] {
            assert_eq!(human_duration(Duration::from_secs(secs)), said);
        }
    }

    #[test]
    fn credentials_never_survive_in_server_text() {
        let c = super::super::credentials::Credentials::new(
            "api.user@example.com",
            "S3cr3t*Value",
            "INTCODE123",
        )
        .unwrap();
        let text = "User API.USER@example.com (api.user%40example.com) sent secret s3cr3t*value \
                    and code IntCode123; S3cr3t%2AValue";
        let clean = scrub(text, &c);
        for gone in [
            "api.user",
            "API.USER",
            "s3cr3t",
            "S3cr3t",
            "IntCode123",
            "%40example",
        ] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
        assert!(
            clean.contains("[API user]") && clean.contains("[secret]"),
            "{clean}"
        );
        assert!(clean.contains("[integration code]"), "{clean}");
    }

    #[test]
    fn paging_links_must_stay_in_the_zone() {
        let base = "https://webservices15.autotask.net/ATServicesRest/";
        assert!(same_origin(
            base,
            "https://webservices15.autotask.net/ATServicesRest/V1.0/x"
        )
        .is_ok());
        assert!(same_origin(base, "https://evil.example/ATServicesRest/V1.0/x").is_err());
        assert!(same_origin(base, "http://webservices15.autotask.net/x").is_err());
    }
}
