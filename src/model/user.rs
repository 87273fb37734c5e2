//! A customer's users: what a person may enter (username, email, password, display name,
//! mobile) and the rules for each, the argon2id password hash, and the "can log in" rule.

use super::field::{check_line, clean, too_long};
use crate::error::{Error, FieldErrors};
use crate::model::text::{self, quoted};
use serde::{Deserialize, Serialize};

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 64;
pub const PASSWORD_MIN: usize = 12;
/// Longer passwords only cost hashing time; no one types more.
pub const PASSWORD_MAX: usize = 256;
const TEXT_MAX: usize = 200;
const EMAIL_MAX: usize = 254;

/// A user as the Users tab and `users list --json` show it. The password hash never leaves
/// the store: `has_password` says whether there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    /// E.164, e.g. `+4915112345678`.
    pub mobile: Option<String>,
    pub active: bool,
    pub has_password: bool,
    /// Names of the user's groups, sorted.
    pub groups: Vec<String>,
    pub can_log_in: bool,
    /// Why the user cannot log in (empty when they can).
    pub missing: Vec<String>,
}

/// What the "Can log in" rule looks at.
pub struct LoginFacts {
    pub user_active: bool,
    pub has_password: bool,
    pub groups: usize,
    pub customer_active: bool,
}

/// Every reason the user cannot log in, in the order the rule lists them; empty when they can.
pub fn login_missing(f: &LoginFacts) -> Vec<String> {
    let mut missing = Vec::new();
    if !f.user_active {
        missing.push("the user is deactivated".to_owned());
    }
    if !f.has_password {
        missing.push("no password is set".to_owned());
    }
    if f.groups == 0 {
        missing.push("the user is in no group".to_owned());
    }
    if !f.customer_active {
        missing.push("the customer is not active".to_owned());
    }
    missing
}

/// What a person entered for a user. On edit, an absent field is left as it is and an empty one
/// is cleared (the username and password are not edited here).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserFields {
    pub username: Option<String>,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub mobile: Option<String>,
    /// Only on create; `Store::set_password` replaces it later.
    pub password: Option<String>,
}

/// User fields that passed every rule: trimmed, the mobile number in E.164, the password hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUser {
    pub username: Option<String>,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub mobile: Option<String>,
    pub password_hash: Option<String>,
}

impl UserFields {
    /// Applies every rule and reports every broken one. `region` (the customer's country,
    /// ISO alpha-2) lets a mobile number be written without its country code.
    pub fn validate(self, creating: bool, region: Option<&str>) -> Result<ValidUser, Error> {
        let mut errors = FieldErrors::default();
        // In NFC, as customer IDs are: "café" typed on a Mac (e + combining accent) and on
        // Windows is one username.
        let username = clean(self.username).map(text::nfc);
        match &username {
            None if creating => {
                errors.report("username", "Username", "A username is required.".into())
            }
            None => {}
            Some(u) => {
                if let Err(m) = check_username(u) {
                    errors.report("username", "Username", m);
                }
            }
        }
        let email = clean(self.email);
        if let Some(e) = &email {
            if let Err(m) = check_email(e) {
                errors.report("email", "Email", m);
            }
        }
        let display_name = clean(self.display_name);
        if let Some(d) = &display_name {
            check_line(d, "display_name", "Display name", TEXT_MAX, &mut errors);
        }
        let mobile = match clean(self.mobile) {
            None => None,
            Some(m) => match normalise_mobile(&m, region) {
                Ok(e164) => Some(e164),
                Err(message) => {
                    errors.report("mobile", "Mobile", message);
                    None
                }
            },
        };
        let mut password_hash = None;
        match self.password.filter(|p| !p.is_empty()) {
            None if creating => errors.report(
                "password",
                "Password",
                format!("A password is required to log in: at least {PASSWORD_MIN} characters."),
            ),
            None => {}
            Some(p) => {
                let context: Vec<&str> = [
                    username.as_deref(),
                    email.as_deref(),
                    display_name.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect();
                match check_password(&p, &context) {
                    Err(m) => errors.report("password", "Password", m),
                    // Hashing is slow on purpose: only once everything else is valid.
                    Ok(()) if errors.is_empty() => password_hash = Some(hash_password(&p)?),
                    Ok(()) => {}
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(ValidUser {
            username,
            email,
            display_name,
            mobile,
            password_hash,
        })
    }
}

/// 3–64 letters, digits, `.`, `_`, `-` or `@`.
pub fn check_username(u: &str) -> Result<(), String> {
    let n = u.chars().count();
    if n < USERNAME_MIN {
        return Err(format!(
            "Too short: {n} characters; a username has at least {USERNAME_MIN}."
        ));
    }
    if n > USERNAME_MAX {
        return Err(too_long(u, USERNAME_MAX));
    }
    if let Some(bad) = u
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')))
    {
        return Err(format!(
            "'{}' is not allowed; use letters, digits, '.', '_', '-' and '@'.",
            bad.escape_default()
        ));
    }
    if let Some(c) = u.chars().find(|c| text::is_invisible(*c)) {
        return Err(format!(
            "It holds a character that cannot be seen (U+{:04X}); use letters, digits, '.', \
             '_', '-' and '@' that show.",
            c as u32
        ));
    }
    if !text::is_findable(u) {
        return Err(
            "A username needs at least one letter or digit, so that it can be told apart.".into(),
        );
    }
    Ok(())
}

/// An address as RFC 5322 allows, with a domain that has a dot (mail to a bare host never
/// arrives).
pub fn check_email(e: &str) -> Result<(), String> {
    if e.chars().count() > EMAIL_MAX {
        return Err(too_long(e, EMAIL_MAX));
    }
    let parsed = email_address::EmailAddress::parse_with_options(
        e,
        email_address::Options::default().without_display_text(),
    );
    match parsed {
        Ok(addr) if addr.domain().contains('.') && !addr.domain().starts_with('[') => Ok(()),
        _ => Err(format!(
            "'{e}' is not an email address like name@example.com."
        )),
    }
}

/// The number in E.164 (`+4915112345678`). Without a leading `+` (or `00`) the customer's
/// country is assumed.
pub fn normalise_mobile(input: &str, region: Option<&str>) -> Result<String, String> {
    let region_id = region.and_then(|r| r.parse::<phonenumber::country::Id>().ok());
    let international = input.starts_with('+') || input.starts_with("00");
    if !international && region_id.is_none() {
        return Err(format!(
            "'{input}' has no country code; write it as +49 151 12345678 (the customer has no country to assume)."
        ));
    }
    let number = phonenumber::parse(region_id, input).map_err(|_| {
        format!(
            "{} is not a phone number; write it as +49 151 12345678.",
            quoted(input)
        )
    })?;
    if !phonenumber::is_valid(&number) {
        return Err(format!(
            "'{input}' is not a valid phone number for its country; check the digits."
        ));
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// At least 12 characters and not easy to guess (zxcvbn score 3 of 4 or better); the message
/// says why a password is refused and how to make it better.
pub fn check_password(p: &str, user_inputs: &[&str]) -> Result<(), String> {
    let n = p.chars().count();
    if n < PASSWORD_MIN {
        return Err(format!(
            "Too short: {n} characters; use at least {PASSWORD_MIN} (a few unrelated words work well)."
        ));
    }
    if n > PASSWORD_MAX {
        return Err(format!("Too long: {n} characters; at most {PASSWORD_MAX}."));
    }
    let estimate = zxcvbn::zxcvbn(p, user_inputs);
    if u8::from(estimate.score()) >= 3 {
        return Ok(());
    }
    let mut message = String::from("Too easy to guess");
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            message.push_str(&format!(": {warning}"));
        }
        if !message.ends_with('.') {
            message.push('.');
        }
        if let Some(tip) = feedback.suggestions().first() {
            message.push_str(&format!(" {tip}"));
        }
    } else {
        message.push('.');
    }
    if !message.ends_with('.') {
        message.push('.');
    }
    Err(message)
}

/// An argon2id hash (PHC string, random salt) of `password`.
pub fn hash_password(password: &str) -> Result<String, Error> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Refused(format!("The password could not be hashed: {e}")))
}

/// Whether `password` matches the stored argon2id `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(check_username("jane.doe@acme").is_ok());
        assert!(check_username("müller_1").is_ok());
        assert!(check_username("ab").unwrap_err().contains("at least 3"));
        assert!(check_username(&"a".repeat(65))
            .unwrap_err()
            .contains("at most 64"));
        assert!(check_username("jane doe")
            .unwrap_err()
            .contains("' ' is not allowed"));
    }

    #[test]
    fn mobiles_become_e164() {
        assert_eq!(
            normalise_mobile("+49 151 12345678", None).unwrap(),
            "+4915112345678"
        );
        assert_eq!(
            normalise_mobile("0151 12345678", Some("DE")).unwrap(),
            "+4915112345678"
        );
        assert!(normalise_mobile("0151 12345678", None)
            .unwrap_err()
            .contains("no country code"));
        assert!(normalise_mobile("+49 1", None).is_err());
        assert!(normalise_mobile("call me", Some("DE")).is_err());
    }

    #[test]
    fn emails() {
        assert!(check_email("jane@example.com").is_ok());
        assert!(check_email("jane@localhost").is_err());
        assert!(check_email("jane").is_err());
        assert!(check_email("Jane <jane@example.com>").is_err());
    }

    #[test]
    fn passwords_are_judged_and_hashed() {
        assert!(check_password("short", &[])
            .unwrap_err()
            .starts_with("Too short: 5 characters"));
        let weak = check_password("password1234", &[]).unwrap_err();
        assert!(weak.starts_with("Too easy to guess"), "{weak}");
        let own = check_password("janedoe123456", &["janedoe"]).unwrap_err();
        assert!(own.starts_with("Too easy to guess"), "{own}");
        assert!(check_password("correct horse battery staple", &[]).is_ok());
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("correct horse battery stable", &hash));
    }

    #[test]
    fn the_login_rule_names_each_missing_part() {
        let all = LoginFacts {
            user_active: true,
            has_password: true,
            groups: 1,
            customer_active: true,
        };
        assert!(login_missing(&all).is_empty());
        let none = LoginFacts {
            user_active: false,
            has_password: false,
            groups: 0,
            customer_active: false,
        };
        assert_eq!(login_missing(&none).len(), 4);
    }
}
