//! Reading Autotask's answers: `{"errors": [...]}` bodies, JSON, `Retry-After`, and the
//! errors a person reads when an answer is not what was asked for.

use crate::{Error, Result};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// Wait after a 429 that carries no usable `Retry-After`.
pub(super) const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);

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

/// `Retry-After` in seconds; an absent or unreadable value (e.g. an HTTP date) means 60 s.
pub(super) fn retry_after(headers: &HeaderMap) -> Duration {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_RETRY_AFTER)
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
    fn retry_after_defaults_to_a_minute() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), Duration::from_secs(60));
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Duration::from_secs(7));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Duration::from_secs(60));
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
