//! Commands of the Settings ▸ Autotask dialog: where the credentials come from, save, forget,
//! test the connection, and search companies. The core client and the keychain block, so every
//! call runs through `spawn_blocking`. Nothing secret goes back to the page: only the user name.

use clientbook::autotask::{credentials, Client, Company, Credentials, Settings, Source, Zone};
use clientbook::secrets::Keychain;
use clientbook::Error;
use serde::Serialize;

/// What the dialog shows before anything is typed.
#[derive(Serialize)]
pub struct Status {
    /// `environment`, `keychain`, or `None` when no credentials are set.
    source: Option<Source>,
    username: Option<String>,
}

/// Runs blocking core work (keychain, HTTP) off the UI thread.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| Error::Refused(format!("The operation stopped unexpectedly: {e}")))?
}

/// A client for the credentials in use, or a sentence saying how to set them.
fn client() -> Result<Client, Error> {
    let Some((credentials, _)) = credentials::load(&Keychain::from_env())? else {
        return Err(Error::Refused(
            "No Autotask credentials yet: enter the API user name, secret and integration code, then Save.".into(),
        ));
    };
    Client::new(credentials, Settings::from_env())
}

#[tauri::command]
pub async fn autotask_status() -> Result<Status, Error> {
    off_thread(|| {
        let loaded = credentials::load(&Keychain::from_env())?;
        Ok(Status {
            source: loaded.as_ref().map(|(_, s)| *s),
            username: loaded.map(|(c, _)| c.username),
        })
    })
    .await
}

#[tauri::command]
pub async fn autotask_save(
    username: String,
    secret: String,
    integration_code: String,
) -> Result<(), Error> {
    off_thread(move || {
        if Credentials::from_env().is_some() {
            return Err(Error::Refused(
                "The Autotask credentials come from the CLIENTBOOK_AUTOTASK_* environment variables; change them there.".into(),
            ));
        }
        let credentials = Credentials::new(&username, &secret, &integration_code)?;
        credentials::save(&Keychain::from_env(), &credentials)
    })
    .await
}

/// `false` when nothing was saved.
#[tauri::command]
pub async fn autotask_forget() -> Result<bool, Error> {
    off_thread(|| credentials::delete(&Keychain::from_env())).await
}

#[tauri::command]
pub async fn autotask_test() -> Result<Zone, Error> {
    off_thread(|| client()?.test_connection()).await
}

#[tauri::command]
pub async fn autotask_companies(
    search: String,
    include_inactive: bool,
) -> Result<Vec<Company>, Error> {
    off_thread(move || client()?.search_companies(&search, include_inactive)).await
}
