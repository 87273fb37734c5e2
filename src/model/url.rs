//! A customer's web address: `https://…`/`http://…` addresses and bare domains, made whole;
//! what is clearly not one (an email address, another scheme) refused with the reason.

use super::text;

/// Accepts `https://…`/`http://…` addresses and bare domains (`example.com/path` →
/// `https://example.com/path`).
pub fn normalise_url(input: &str) -> Result<String, String> {
    let bad = || {
        format!(
            "{} is not a web address (e.g. https://example.com).",
            text::quoted(input)
        )
    };
    let only_http = || {
        format!(
            "{} is not a web address: only http:// and https:// are allowed.",
            text::quoted(input)
        )
    };
    let email = || {
        format!(
            "{} is an email address, not a web address.",
            text::quoted(input)
        )
    };
    let secret = || {
        format!(
            "{} has a user name or password before its host; give the web address without \
             them.",
            text::quoted(input)
        )
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
        assert_eq!(normalise_url("example.com").unwrap(), "https://example.com");
        assert_eq!(
            normalise_url("http://example.com/a?b=c").unwrap(),
            "http://example.com/a?b=c"
        );
        assert!(normalise_url("ftp://example.com").is_err());
        assert!(normalise_url("javascript:alert(1)").is_err());
        assert!(normalise_url("acme").is_err());
        assert!(normalise_url("exa mple.com").is_err());
        assert!(normalise_url("https://").is_err());
        assert_eq!(
            normalise_url("//example.com/a").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            normalise_url("example.com:8080").unwrap(),
            "https://example.com:8080"
        );
        assert_eq!(
            normalise_url("localhost:8080").unwrap(),
            "https://localhost:8080"
        );
        assert_eq!(
            normalise_url("info@example.com").unwrap_err(),
            "'info@example.com' is an email address, not a web address."
        );
        assert_eq!(
            normalise_url("mailto:info@example.com").unwrap_err(),
            "'mailto:info@example.com' is an email address, not a web address."
        );
        for secret in [
            "user:pass@example.com",
            "admin:1234@router.local",
            "https://u@example.com",
        ] {
            assert!(
                normalise_url(secret)
                    .unwrap_err()
                    .contains("user name or password"),
                "{secret}"
            );
        }
        assert!(normalise_url("///example.com").is_err());
        assert!(normalise_url("https:example.com")
            .unwrap_err()
            .contains("is not a web address (e.g."));
        assert!(normalise_url("example.com/?to=a@b.example").is_ok());
        assert!(normalise_url("tel:+4930123")
            .unwrap_err()
            .contains("only http://"));
        assert!(normalise_url("https://user:pw@example.com")
            .unwrap_err()
            .contains("user name or password"));
        // An '@' after the host is a path's business.
        assert!(normalise_url("https://example.com/@team").is_ok());
    }
}
