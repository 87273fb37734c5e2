//! A customer's web address: `https://…`/`http://…` addresses and bare domains, made whole;
//! what is clearly not one (an email address, another scheme) refused with the reason.

use super::text;

/// Accepts `https://…`/`http://…` addresses and bare domains (`example.com/path` →
/// `https://example.com/path`).
pub fn normalise_url(input: &str) -> Result<String, String> {
    // Every refusal starts with what was typed, so that a message stands on its own.
    let refuse = |reason: &str| format!("{} {reason}", text::quoted(input));
    let bad = || refuse("is not a web address (e.g. https://example.com).");
    let only_http = || refuse("is not a web address: only http:// and https:// are allowed.");
    let email = || refuse("is an email address, not a web address.");
    let secret = || {
        refuse("has a user name or password before its host; give the web address without them.")
    };
    if input.chars().any(char::is_whitespace) || input.starts_with("///") {
        return Err(bad());
    }
    // Before the host, an '@' follows a user name (and password): an email address, or a
    // web address that keeps a secret in the customer list.
    let lower = input.to_ascii_lowercase();
    if lower.starts_with("mailto:") {
        return Err(email());
    }
    let after_scheme = ["https://", "http://"]
        .iter()
        .find_map(|s| lower.strip_prefix(s).map(|_| &input[s.len()..]));
    let authority = after_scheme.unwrap_or(input);
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    if let Some((user, _)) = authority.rsplit_once('@') {
        return Err(match after_scheme.is_none() && !user.contains(':') {
            true => email(),
            false => secret(),
        });
    }
    // "tel:…", "skype:…": a scheme without "//" (a host's port has digits after its colon).
    if let Some((scheme, rest)) = input.split_once(':') {
        let word = !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphabetic());
        if word && !rest.starts_with("//") && !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(
                match scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                    true => bad(),
                    false => only_http(),
                },
            );
        }
    }
    let has_scheme = input.contains("://");
    let candidate = if has_scheme {
        input.to_owned()
    } else {
        // "//example.com", as HTML writes a link without its scheme.
        format!("https://{}", input.strip_prefix("//").unwrap_or(input))
    };
    let parsed = url::Url::parse(&candidate).map_err(|_| bad())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(only_http());
    }
    // What the checks above let through, the parser may still read a user from.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(secret());
    }
    let host = parsed.host_str().unwrap_or_default();
    // A bare word ("acme") is almost always a typo, not an intranet host.
    let plausible_host = host.contains('.')
        || host == "localhost"
        || parsed
            .host()
            .is_some_and(|h| matches!(h, url::Host::Ipv6(_)));
    if host.is_empty() || !plausible_host {
        return Err(bad());
    }
    Ok(if has_scheme {
        input.to_owned()
    } else {
        candidate
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        for (input, url) in [
            ("example.com", "https://example.com"),
            ("http://example.com/a?b=c", "http://example.com/a?b=c"),
            ("//example.com/a", "https://example.com/a"),
            ("example.com:8080", "https://example.com:8080"),
            ("localhost:8080", "https://localhost:8080"),
        ] {
            assert_eq!(normalise_url(input).unwrap(), url, "{input}");
        }
        // An '@' after the host is a path's business.
        for input in ["example.com/?to=a@b.example", "https://example.com/@team"] {
            assert!(normalise_url(input).is_ok(), "{input}");
        }
        for input in [
            "ftp://example.com",
            "javascript:alert(1)",
            "acme",
            "exa mple.com",
            "https://",
            "///example.com",
        ] {
            assert!(normalise_url(input).is_err(), "{input}");
        }
        for email in ["info@example.com", "mailto:info@example.com"] {
            assert_eq!(
                normalise_url(email).unwrap_err(),
                format!("'{email}' is an email address, not a web address.")
            );
        }
        for (input, reason) in [
            ("user:pass@example.com", "user name or password"),
            ("admin:1234@router.local", "user name or password"),
            ("https://u@example.com", "user name or password"),
            ("https://user:pw@example.com", "user name or password"),
            ("https:example.com", "is not a web address (e.g."),
            ("tel:+4930123", "only http://"),
        ] {
            assert!(
                normalise_url(input).unwrap_err().contains(reason),
                "{input}"
            );
        }
    }
}
