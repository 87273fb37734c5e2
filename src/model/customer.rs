//! A customer account: its fields, its validity states and the rules every entry path (the edit
//! dialog, the CLI, later the CSV importer) applies before anything is stored.

use super::field::{check_findable, check_line, clean, direction_control, too_long};
use super::url::normalise_url;
use super::{country, slug, text};
use crate::error::{Error, FieldErrors};
use serde::{Deserialize, Serialize};

pub const MAX_NAME: usize = 200;
pub const MAX_TEXT: usize = 200;
pub const MAX_COMMENT: usize = 2_000;

/// OTOBO's three states: only `valid` customers are active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Validity {
    #[default]
    Valid,
    Invalid,
    InvalidTemporarily,
}

impl Validity {
    pub fn as_str(self) -> &'static str {
        match self {
            Validity::Valid => "valid",
            Validity::Invalid => "invalid",
            Validity::InvalidTemporarily => "invalid-temporarily",
        }
    }

    /// Accepts the stored words and the spellings people type ("Invalid temporarily", "2").
    pub fn parse(input: &str) -> Option<Validity> {
        let key: String = text::fold(input.trim())
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        match key.as_str() {
            "valid" | "1" => Some(Validity::Valid),
            "invalid" | "2" => Some(Validity::Invalid),
            "invalidtemporarily" | "temporarilyinvalid" | "3" => Some(Validity::InvalidTemporarily),
            _ => None,
        }
    }

    pub fn is_active(self) -> bool {
        self == Validity::Valid
    }
}

/// A stored customer as the UI and the CLI see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub customer_id: String,
    pub name: String,
    pub street: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub url: Option<String>,
    pub comment: Option<String>,
    pub validity: Validity,
    pub active: bool,
    pub own: bool,
    pub jobs: u64,
    /// The mapped Autotask company's cached name (the list's column).
    pub autotask_company: Option<String>,
    /// The whole mapping (id, cached name, status, last check) for the edit dialog and badge.
    #[serde(default)]
    pub autotask: Option<super::Mapping>,
    pub created_at: String,
    pub updated_at: String,
}

/// What a person entered. On create, an absent field is empty; on edit, an absent field is left
/// as it is and an empty one is cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerFields {
    pub customer_id: Option<String>,
    pub name: Option<String>,
    pub street: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub url: Option<String>,
    pub comment: Option<String>,
    pub validity: Option<String>,
}

/// Fields that passed every rule, normalised for storage (trimmed, country as alpha-2, URL with
/// its scheme). `customer_id` is `None` when it is to be derived from the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCustomer {
    pub customer_id: Option<String>,
    pub name: String,
    pub street: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub url: Option<String>,
    pub comment: Option<String>,
    pub validity: Validity,
}

impl CustomerFields {
    /// Fills the fields this edit leaves out from the stored customer.
    pub fn over(self, current: &Customer) -> CustomerFields {
        let keep = |new: Option<String>, old: &Option<String>| new.or_else(|| old.clone());
        CustomerFields {
            customer_id: Some(
                self.customer_id
                    .unwrap_or_else(|| current.customer_id.clone()),
            ),
            name: Some(self.name.unwrap_or_else(|| current.name.clone())),
            street: keep(self.street, &current.street),
            zip: keep(self.zip, &current.zip),
            city: keep(self.city, &current.city),
            country: keep(self.country, &current.country),
            url: keep(self.url, &current.url),
            comment: keep(self.comment, &current.comment),
            validity: Some(
                self.validity
                    .unwrap_or_else(|| current.validity.as_str().to_owned()),
            ),
        }
    }

    /// Applies every rule and reports every broken one at once, so a form can mark all of them.
    pub fn validate(self) -> Result<ValidCustomer, Error> {
        let mut errors = FieldErrors::default();

        let name = clean(self.name);
        match &name {
            None => errors.report("name", "Name", "A customer needs a name.".into()),
            Some(n) => {
                check_line(n, "name", "Name", MAX_NAME, &mut errors);
                check_findable(n, "name", "Name", "A customer's name", &mut errors);
            }
        }

        // In NFC, as IDs made from names are: "café" typed on a Mac (e + combining accent)
        // and on Windows is one ID, not two that look the same.
        let customer_id = clean(self.customer_id).map(text::nfc);
        if let Some(id) = &customer_id {
            if text::char_len(id) > slug::MAX_ID_CHARS {
                errors.report(
                    "customer_id",
                    "Customer ID",
                    too_long(id, slug::MAX_ID_CHARS),
                );
            } else if !slug::is_valid_id(id) {
                errors.report(
                    "customer_id",
                    "Customer ID",
                    format!(
                        "{} is not a valid customer ID: use only letters, digits, '-', '_' and '.'.",
                        text::quoted(id)
                    ),
                );
            } else if let Some(c) = id.chars().find(|c| text::is_invisible(*c)) {
                errors.report(
                    "customer_id",
                    "Customer ID",
                    format!(
                        "{} holds a character that cannot be seen (U+{:04X}); use only letters, \
                         digits, '-', '_' and '.' that show.",
                        text::quoted(id),
                        c as u32
                    ),
                );
            } else {
                check_findable(
                    id,
                    "customer_id",
                    "Customer ID",
                    "A customer ID",
                    &mut errors,
                );
            }
        }

        let street = clean(self.street);
        let zip = clean(self.zip);
        let city = clean(self.city);
        for (value, field, label) in [
            (&street, "street", "Street"),
            (&zip, "zip", "ZIP"),
            (&city, "city", "City"),
        ] {
            if let Some(v) = value {
                check_line(v, field, label, MAX_TEXT, &mut errors);
            }
        }

        let country = match clean(self.country) {
            None => None,
            Some(c) => match country::lookup(&c) {
                Some(code) => Some(code.to_owned()),
                None => {
                    errors.report(
                        "country",
                        "Country",
                        format!("{} is not a country.", text::quoted(c)),
                    );
                    None
                }
            },
        };

        let url = match clean(self.url) {
            None => None,
            Some(u) => match normalise_url(&u) {
                Ok(u) if text::char_len(&u) > MAX_TEXT => {
                    errors.report("url", "URL", too_long(&u, MAX_TEXT));
                    None
                }
                Ok(u) => Some(u),
                Err(message) => {
                    errors.report("url", "URL", message);
                    None
                }
            },
        };

        let comment = clean(self.comment);
        if let Some(c) = &comment {
            if text::char_len(c) > MAX_COMMENT {
                errors.report("comment", "Comment", too_long(c, MAX_COMMENT));
            } else if c
                .chars()
                .any(|ch| ch.is_control() && !matches!(ch, '\n' | '\r' | '\t'))
            {
                errors.report(
                    "comment",
                    "Comment",
                    "Contains a control character; remove it.".into(),
                );
            } else if let Some(ch) = c.chars().find(|ch| text::is_direction_control(*ch)) {
                errors.report("comment", "Comment", direction_control(ch));
            }
        }

        let validity = match clean(self.validity) {
            None => Validity::Valid,
            Some(v) => Validity::parse(&v).unwrap_or_else(|| {
                errors.report(
                    "validity",
                    "Validity",
                    format!(
                        "{} is not a validity: use valid, invalid or invalid-temporarily.",
                        text::quoted(v)
                    ),
                );
                Validity::Valid
            }),
        };

        match name {
            Some(name) if errors.is_empty() => Ok(ValidCustomer {
                customer_id,
                name,
                street,
                zip,
                city,
                country,
                url,
                comment,
                validity,
            }),
            _ => Err(errors.into()),
        }
    }
}

impl ValidCustomer {
    /// The keys it is stored with under the customer ID `id`: search keys and identity.
    pub fn keys(&self, id: &str) -> text::SearchKeys {
        text::SearchKeys::of(id, &self.name, self.city.as_deref().unwrap_or_default())
    }

    /// Whether writing these fields over `current` would change none of them (an absent
    /// optional field and an empty one are the same; an ID differing only in case differs).
    pub fn is_stored_as(&self, current: &Customer) -> bool {
        let same = |a: &Option<String>, b: &Option<String>| {
            a.as_deref().unwrap_or_default() == b.as_deref().unwrap_or_default()
        };
        self.customer_id.as_deref().unwrap_or(&current.customer_id) == current.customer_id
            && self.name == current.name
            && same(&self.street, &current.street)
            && same(&self.zip, &current.zip)
            && same(&self.city, &current.city)
            && same(&self.country, &current.country)
            && same(&self.url, &current.url)
            && same(&self.comment, &current.comment)
            && self.validity == current.validity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str) -> CustomerFields {
        CustomerFields {
            name: Some(name.into()),
            ..Default::default()
        }
    }

    fn messages(err: Error) -> Vec<(&'static str, String)> {
        match err {
            Error::Invalid(list) => list.into_iter().map(|f| (f.field, f.message)).collect(),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn trims_and_normalises() {
        let valid = CustomerFields {
            name: Some("  Acme Corp ".into()),
            country: Some("germany".into()),
            url: Some("acme.example/contact".into()),
            city: Some("   ".into()),
            validity: Some("Invalid temporarily".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(valid.name, "Acme Corp");
        assert_eq!(valid.country.as_deref(), Some("DE"));
        assert_eq!(valid.url.as_deref(), Some("https://acme.example/contact"));
        assert_eq!(valid.city, None);
        assert_eq!(valid.validity, Validity::InvalidTemporarily);
    }

    #[test]
    fn reports_every_broken_field_at_once() {
        let err = CustomerFields {
            name: Some(" ".into()),
            customer_id: Some("a b".into()),
            country: Some("Atlantis".into()),
            url: Some("not a url".into()),
            comment: Some("x".repeat(2_001)),
            validity: Some("maybe".into()),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let got = messages(err);
        let fields: Vec<_> = got.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                "name",
                "customer_id",
                "country",
                "url",
                "comment",
                "validity"
            ]
        );
        assert_eq!(got[2].1, "'Atlantis' is not a country.");
        assert_eq!(
            got[4].1,
            "Too long: 2,001 characters; at most 2,000 are allowed."
        );
    }

    #[test]
    fn length_limits_sit_exactly_at_the_documented_numbers() {
        assert!(fields(&"n".repeat(200)).validate().is_ok());
        let got = messages(fields(&"n".repeat(201)).validate().unwrap_err());
        assert_eq!(got[0].0, "name");
        assert!(got[0].1.contains("at most 200"));

        let mut f = fields("x");
        f.customer_id = Some("i".repeat(151));
        assert!(messages(f.validate().unwrap_err())[0]
            .1
            .contains("at most 150"));
        let mut f = fields("x");
        f.city = Some("é".repeat(200));
        assert!(f.validate().is_ok(), "limits count characters, not bytes");
        let mut f = fields("x");
        f.street = Some("s".repeat(201));
        assert_eq!(messages(f.validate().unwrap_err())[0].0, "street");
    }

    #[test]
    fn rejects_line_breaks_in_one_line_fields_but_not_in_comments() {
        assert_eq!(
            messages(fields("a\nb").validate().unwrap_err())[0].0,
            "name"
        );
        let mut f = fields("x");
        f.comment = Some("line one\nline two".into());
        assert!(f.validate().is_ok());
    }

    #[test]
    fn validity_words() {
        assert_eq!(Validity::parse("valid"), Some(Validity::Valid));
        assert_eq!(Validity::parse("INVALID"), Some(Validity::Invalid));
        assert_eq!(
            Validity::parse("invalid-temporarily"),
            Some(Validity::InvalidTemporarily)
        );
        assert_eq!(Validity::parse("nope"), None);
    }

    #[test]
    fn edit_keeps_what_it_leaves_out() {
        let current = Customer {
            customer_id: "acme".into(),
            name: "Acme".into(),
            street: Some("Main St 1".into()),
            zip: None,
            city: Some("Berlin".into()),
            country: Some("DE".into()),
            url: None,
            comment: None,
            validity: Validity::Invalid,
            active: false,
            own: false,
            jobs: 0,
            autotask_company: None,
            autotask: None,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let edit = CustomerFields {
            city: Some("Hamburg".into()),
            street: Some(String::new()),
            ..Default::default()
        }
        .over(&current)
        .validate()
        .unwrap();
        assert_eq!(edit.city.as_deref(), Some("Hamburg"));
        assert_eq!(edit.street, None, "an empty value clears the field");
        assert_eq!(edit.country.as_deref(), Some("DE"));
        assert_eq!(edit.validity, Validity::Invalid);
        assert_eq!(edit.customer_id.as_deref(), Some("acme"));
    }
}

/// The fields `clientbook list --json` prints, exactly and in this order.
#[derive(Debug, Serialize)]
pub struct Listing<'a> {
    pub customer_id: &'a str,
    pub name: &'a str,
    pub street: Option<&'a str>,
    pub zip: Option<&'a str>,
    pub city: Option<&'a str>,
    pub country: Option<&'a str>,
    pub url: Option<&'a str>,
    pub comment: Option<&'a str>,
    pub validity: Validity,
    pub active: bool,
    pub own: bool,
    pub jobs: u64,
    pub autotask_company: Option<&'a str>,
}

impl Customer {
    pub fn listing(&self) -> Listing<'_> {
        Listing {
            customer_id: &self.customer_id,
            name: &self.name,
            street: self.street.as_deref(),
            zip: self.zip.as_deref(),
            city: self.city.as_deref(),
            country: self.country.as_deref(),
            url: self.url.as_deref(),
            comment: self.comment.as_deref(),
            validity: self.validity,
            active: self.active,
            own: self.own,
            jobs: self.jobs,
            autotask_company: self.autotask_company.as_deref(),
        }
    }
}
