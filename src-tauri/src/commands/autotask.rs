//! Commands of Autotask: the Settings ▸ Autotask dialog (where the credentials come from, save,
//! forget, test the connection), company search, and the mappings (map, clear, verify, refresh
//! all, pull companies in as customers). The core client and the keychain block, so every call
//! runs through `spawn_blocking`. Nothing secret goes back to the page: only the user name.
//!
//! While Autotask answers 429 the client waits; each wait is told to the page as an
//! `autotask-wait` event so that it can say why nothing seems to happen.

use crate::state::{off_thread, AppState};
use clientbook::autotask::{
    credentials, mapping, Client, Company, Credentials, RetryWait, Settings, Source, Zone,
};
use clientbook::model::{Customer, MappingStatus};
use clientbook::secrets::Keychain;
use clientbook::store::PullReport;
use clientbook::{Error, Store};
use serde::Serialize;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};

/// What the dialog shows before anything is typed.
#[derive(Serialize)]
pub struct Status {
    /// `environment`, `keychain`, or `None` when no credentials are set.
    source: Option<Source>,
    username: Option<String>,
}

/// One wait after Autotask answered 429, as the page shows it.
#[derive(Serialize, Clone)]
struct Wait {
    seconds: u64,
    /// The try that was refused (1-based) and how many are made at most.
    attempt: u32,
    tries: u32,
}

/// A client for the credentials in use, or a sentence saying how to set them. Waits after a
/// 429 are emitted to the page as `autotask-wait`.
fn client(app: &AppHandle) -> Result<Client, Error> {
    let Some((credentials, _)) = credentials::load(&Keychain::from_env())? else {
        return Err(Error::Refused(
            "No Autotask credentials yet: open Settings ▸ Autotask… and enter the API user name, secret and integration code.".into(),
        ));
    };
    let mut settings = Settings::from_env();
    let tries = settings.max_tries;
    // Cancel (Refresh all's button, or Esc) stops a wait at once.
    settings.cancel = Some(app.state::<AppState>().autotask_cancel.clone());
    let app = app.clone();
    settings.on_retry = Some(Arc::new(move |w: RetryWait| {
        let _ = app.emit(
            "autotask-wait",
            Wait {
                seconds: w.remaining.as_secs_f64().ceil().max(1.0) as u64,
                attempt: w.attempt,
                tries,
            },
        );
    }));
    Client::new(credentials, settings)
}

/// Runs work that needs both the database and Autotask off the UI thread.
async fn with_client<T: Send + 'static>(
    app: &AppHandle,
    state: &AppState,
    work: impl FnOnce(&Store, &Client) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let store = state.store()?;
    let app = app.clone();
    off_thread(move || work(&store, &client(&app)?)).await
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
        credentials::save(&Keychain::from_env(), &credentials)?;
        log::info!("Autotask credentials saved in the OS keychain");
        Ok(())
    })
    .await
}

/// `false` when nothing was saved.
#[tauri::command]
pub async fn autotask_forget() -> Result<bool, Error> {
    off_thread(|| {
        let deleted = credentials::delete(&Keychain::from_env())?;
        if deleted {
            log::info!("Autotask credentials removed from the OS keychain");
        }
        Ok(deleted)
    })
    .await
}

#[tauri::command]
pub async fn autotask_test(app: AppHandle) -> Result<Zone, Error> {
    off_thread(move || client(&app)?.test_connection()).await
}

#[tauri::command]
pub async fn autotask_companies(
    app: AppHandle,
    search: String,
    include_inactive: bool,
) -> Result<Vec<Company>, Error> {
    off_thread(move || client(&app)?.search_companies(&search, include_inactive)).await
}

/// A mapping status with what it means, for the badges' tooltips.
#[derive(Serialize)]
pub struct StatusMeaning {
    status: MappingStatus,
    meaning: &'static str,
}

#[tauri::command]
pub fn mapping_statuses() -> Vec<StatusMeaning> {
    [
        MappingStatus::Ok,
        MappingStatus::Renamed,
        MappingStatus::Missing,
        MappingStatus::Invalid,
    ]
    .into_iter()
    .map(|status| StatusMeaning {
        status,
        meaning: status.meaning(),
    })
    .collect()
}

/// Maps the customer to the company after checking that Autotask has it; the customer as now.
#[tauri::command]
pub async fn autotask_map(
    app: AppHandle,
    state: State<'_, AppState>,
    customer_id: String,
    company_id: i64,
) -> Result<Customer, Error> {
    with_client(&app, &state, move |store, client| {
        let customer = mapping::map(store, client, &customer_id, company_id)?;
        log::info!("Mapped customer '{customer_id}' to Autotask company {company_id}");
        Ok(customer)
    })
    .await
}

/// Clears the mapping (no Autotask call: works offline); the customer as now.
#[tauri::command]
pub async fn autotask_unmap(
    state: State<'_, AppState>,
    customer_id: String,
) -> Result<Customer, Error> {
    crate::state::blocking(&state, move |store| {
        let customer = store.unmap_customer(&customer_id)?;
        log::info!("Cleared the Autotask mapping of customer '{customer_id}'");
        Ok(customer)
    })
    .await
}

/// Re-checks one customer's mapping; the customer as now (status, cached name, checked time).
#[tauri::command]
pub async fn autotask_verify(
    app: AppHandle,
    state: State<'_, AppState>,
    customer_id: String,
) -> Result<Customer, Error> {
    with_client(&app, &state, move |store, client| {
        let check = mapping::verify(store, client, &customer_id)?;
        store.customer(&check.customer_id)
    })
    .await
}

/// Progress of "Refresh all mappings": company ids checked so far of all of them.
#[derive(Serialize, Clone)]
pub struct RefreshProgress {
    done: usize,
    total: usize,
}

/// What "Refresh all mappings" found, per status.
#[derive(Serialize, Default)]
pub struct RefreshSummary {
    checked: usize,
    ok: usize,
    renamed: usize,
    missing: usize,
    invalid: usize,
}

/// Re-checks every mapping in batches; `autotask_cancel` stops it with nothing written.
#[tauri::command]
pub async fn autotask_refresh_all(
    app: AppHandle,
    state: State<'_, AppState>,
    progress: Channel<RefreshProgress>,
) -> Result<RefreshSummary, Error> {
    let cancel = state.autotask_cancel.clone();
    cancel.store(false, Ordering::SeqCst);
    with_client(&app, &state, move |store, client| {
        let checks = mapping::refresh_all(store, client, &mut |done, total| {
            let _ = progress.send(RefreshProgress { done, total });
            !cancel.load(Ordering::SeqCst)
        })?;
        let mut summary = RefreshSummary {
            checked: checks.len(),
            ..RefreshSummary::default()
        };
        for check in &checks {
            *match check.status {
                MappingStatus::Ok => &mut summary.ok,
                MappingStatus::Renamed => &mut summary.renamed,
                MappingStatus::Missing => &mut summary.missing,
                MappingStatus::Invalid => &mut summary.invalid,
            } += 1;
        }
        log::info!(
            "Refreshed {} Autotask mappings: {} OK, {} renamed, {} missing, {} invalid",
            summary.checked,
            summary.ok,
            summary.renamed,
            summary.missing,
            summary.invalid
        );
        Ok(summary)
    })
    .await
}

/// Stops a running "Refresh all mappings" at its next batch.
#[tauri::command]
pub fn autotask_cancel(state: State<'_, AppState>) {
    state.autotask_cancel.store(true, Ordering::SeqCst);
}

/// Imports every active Autotask company of type Customer not mapped yet, as a mapped customer,
/// in one transaction; `dry_run` only says what it would do.
#[tauri::command]
pub async fn autotask_pull(
    app: AppHandle,
    state: State<'_, AppState>,
    dry_run: bool,
) -> Result<PullReport, Error> {
    with_client(&app, &state, move |store, client| {
        mapping::pull(store, client, dry_run)
    })
    .await
}
