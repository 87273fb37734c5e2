//! The three Autotask API credential values and where they come from.
//!
//! Load order: the environment variables `CLIENTBOOK_AUTOTASK_USERNAME`, `…_SECRET` and
//! `…_INTEGRATION_CODE` when all three are set (scripts, CI), otherwise the OS keychain. The
//! keychain holds **one entry** (service `clientbook`, name `autotask`) whose value is the JSON
//! `{"username", "secret", "integration_code"}`: saving is one atomic write, so the three values
//! can never be half-updated. The secret never appears in `Debug` output or in an error.

use crate::secrets::SecretStore;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

pub const USERNAME_ENV: &str = "CLIENTBOOK_AUTOTASK_USERNAME";
pub const SECRET_ENV: &str = "CLIENTBOOK_AUTOTASK_SECRET";
pub const INTEGRATION_CODE_ENV: &str = "CLIENTBOOK_AUTOTASK_INTEGRATION_CODE";

/// Name of the keychain entry holding the three values.
pub const KEYCHAIN_ENTRY: &str = "autotask";

/// An Autotask API user's credentials. Deliberately not `Serialize`: nothing can send them to
/// the UI or into a file by accident (the keychain entry is written through [`Stored`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The API user's name (an e-mail-like address).
    pub username: String,
    /// The API user's secret (password).
    pub secret: String,
    /// The API tracking identifier ("integration code").
    pub integration_code: String,
}

/// The keychain entry's JSON form.
#[derive(Serialize, Deserialize)]
struct Stored {
    username: String,
    secret: String,
    integration_code: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("secret", &"<hidden>")
            .field("integration_code", &"<hidden>")
            .finish()
    }
}

/// Where the credentials in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Environment,
    Keychain,
}

impl Credentials {
    /// Trims the values and checks that none is empty (every broken field at once).
    pub fn new(username: &str, secret: &str, integration_code: &str) -> Result<Self> {
        let mut errors = Vec::new();
        let mut check = |value: &str, field, label| {
            if value.trim().is_empty() {
                errors.push(crate::error::FieldError {
                    field,
                    label,
                    message: format!("Enter the {}.", label.to_lowercase()),
                });
            }
        };
        check(username, "username", "API user name");
        check(secret, "secret", "Secret");
        check(integration_code, "integration_code", "Integration code");
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(Credentials {
            username: username.trim().to_owned(),
            secret: secret.trim().to_owned(),
            integration_code: integration_code.trim().to_owned(),
        })
    }

    /// The credentials from the three environment variables, when all three are set.
    pub fn from_env() -> Option<Self> {
        let get = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let (u, s, c) = (
            get(USERNAME_ENV)?,
            get(SECRET_ENV)?,
            get(INTEGRATION_CODE_ENV)?,
        );
        Credentials::new(&u, &s, &c).ok()
    }
}

/// The credentials to use: the environment's when complete, else the keychain's, else `None`.
pub fn load(store: &dyn SecretStore) -> Result<Option<(Credentials, Source)>> {
    if let Some(c) = Credentials::from_env() {
        return Ok(Some((c, Source::Environment)));
    }
    Ok(load_stored(store)?.map(|c| (c, Source::Keychain)))
}

/// The credentials saved in the keychain, ignoring the environment.
pub fn load_stored(store: &dyn SecretStore) -> Result<Option<Credentials>> {
    let Some(text) = store.get(KEYCHAIN_ENTRY)? else {
        return Ok(None);
    };
    // The serde error could quote the value; say only that it is damaged.
    let stored = serde_json::from_str::<Stored>(&text).map_err(|_| {
        Error::Keychain(
            "The Autotask entry in the OS keychain is damaged; sign in to Autotask again.".into(),
        )
    })?;
    Ok(Some(Credentials {
        username: stored.username,
        secret: stored.secret,
        integration_code: stored.integration_code,
    }))
}

/// Saves the credentials to the keychain, replacing any saved before.
pub fn save(store: &dyn SecretStore, credentials: &Credentials) -> Result<()> {
    let stored = Stored {
        username: credentials.username.clone(),
        secret: credentials.secret.clone(),
        integration_code: credentials.integration_code.clone(),
    };
    let text = serde_json::to_string(&stored).map_err(|_| {
        Error::Keychain("Could not prepare the credentials for the keychain.".into())
    })?;
    store.set(KEYCHAIN_ENTRY, &text)
}

/// Removes the saved credentials; `false` if none were saved.
pub fn delete(store: &dyn SecretStore) -> Result<bool> {
    store.delete(KEYCHAIN_ENTRY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    fn sample() -> Credentials {
        Credentials::new(" api@example.com ", "s3cr3t-Value", "CODE123").unwrap()
    }

    #[test]
    fn debug_hides_the_secret_and_the_code() {
        let text = format!("{:?} {:#?}", sample(), sample());
        assert!(text.contains("api@example.com"));
        assert!(!text.contains("s3cr3t-Value"));
        assert!(!text.contains("CODE123"));
    }

    #[test]
    fn save_load_delete_round_trip_in_memory() {
        let store = MemoryStore::default();
        assert_eq!(load_stored(&store).unwrap(), None);
        save(&store, &sample()).unwrap();
        assert_eq!(load_stored(&store).unwrap(), Some(sample()));
        assert!(delete(&store).unwrap());
        assert!(!delete(&store).unwrap());
        assert_eq!(load_stored(&store).unwrap(), None);
    }

    #[test]
    fn a_damaged_entry_is_an_error_without_its_value() {
        let store = MemoryStore::default();
        store
            .set(KEYCHAIN_ENTRY, "{\"secret\": \"s3cr3t\"")
            .unwrap();
        let err = load_stored(&store).unwrap_err();
        assert_eq!(err.kind(), "keychain");
        assert!(!err.to_string().contains("s3cr3t"));
    }

    #[test]
    fn empty_values_are_all_reported() {
        let Err(Error::Invalid(fields)) = Credentials::new("", " ", "x") else {
            panic!("expected Invalid");
        };
        let names: Vec<_> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["username", "secret"]);
    }
}
