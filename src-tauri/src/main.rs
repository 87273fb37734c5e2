//! The Clientbook desktop app: a thin Tauri shell. It opens the database named by `--db` (or the
//! default one), registers the plugins and commands, and hands everything else to the core.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod menu;
mod state;

use clap::Parser;
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(name = "clientbook-app", version, about = "Clientbook desktop app.")]
struct Args {
    /// Database file to open (created if missing). Default: the OS data directory's.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
}

/// The file name shown in the window title.
pub fn database_name(path: &Path) -> String {
    clientbook::files::display_name(path)
}

/// The log: `clientbook.log` in [`clientbook::paths::log_dir`] (and standard error), up to
/// 1 MB a file with two older files kept. Info and above: what was opened, imported, exported
/// and asked of Autotask (method, path, status), and each failure — never a credential.
fn logger() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::Folder {
            path: clientbook::paths::log_dir(),
            file_name: Some(clientbook::paths::LOG_FILE_STEM.into()),
        }))
        .target(Target::new(TargetKind::Stderr))
        .level(log::LevelFilter::Info)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(2))
        .timezone_strategy(TimezoneStrategy::UseLocal)
        .build()
}

fn main() {
    let args = Args::parse();
    let path = args.db.unwrap_or_else(clientbook::paths::default_database);
    let state = state::AppState::open(path);

    let result = tauri::Builder::default()
        .plugin(logger())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(move |app| {
            use tauri::Manager;
            log::info!(
                "Clientbook {} started; {}",
                env!("CARGO_PKG_VERSION"),
                app.state::<state::AppState>().describe()
            );
            commands::database::refresh_window(app.handle());
            app.on_menu_event(menu::on_event);
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(drop) = event {
                menu::on_drop(window, drop);
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::autotask::autotask_status,
            commands::autotask::autotask_save,
            commands::autotask::autotask_forget,
            commands::autotask::autotask_test,
            commands::autotask::autotask_companies,
            commands::autotask::mapping_statuses,
            commands::autotask::autotask_map,
            commands::autotask::autotask_unmap,
            commands::autotask::autotask_verify,
            commands::autotask::autotask_refresh_all,
            commands::autotask::autotask_cancel,
            commands::autotask::autotask_pull,
            commands::customers::app_info,
            commands::database::db_new,
            commands::database::db_open,
            commands::database::db_open_recent,
            commands::database::db_open_dropped,
            commands::database::db_save_copy,
            commands::database::db_close,
            commands::database::db_recent,
            commands::database::db_outside_version,
            commands::customers::countries,
            commands::customers::customers_window,
            commands::customers::customers_total,
            commands::customers::customer_position,
            commands::customers::customer_get,
            commands::customers::customer_suggest_id,
            commands::customers::customer_create,
            commands::customers::customer_update,
            commands::customers::customer_set_active,
            commands::customers::customer_delete,
            commands::customers::customer_restore,
            commands::users::users_list,
            commands::users::user_add,
            commands::users::user_update,
            commands::users::user_set_password,
            commands::users::user_set_active,
            commands::users::user_delete,
            commands::users::user_set_group,
            commands::groups::groups_list,
            commands::groups::group_add,
            commands::groups::group_update,
            commands::groups::group_delete,
            commands::services::services_catalogue,
            commands::services::service_add,
            commands::groups::group_permissions,
            commands::services::customer_services,
            commands::services::customer_service_set,
            commands::services::customer_service_remove,
            commands::jobs::jobs_of_customer,
            commands::jobs::jobs_view,
            commands::jobs::job_add,
            commands::jobs::job_update,
            commands::jobs::job_delete,
            commands::copy::customer_copy,
            commands::history::history_list,
            commands::history::deleted_customers,
            commands::history::deleted_history,
            commands::history::deleted_restore,
            commands::admins::administrators,
            commands::admins::administrator_add,
            commands::admins::administrator_delete,
            commands::groups::template_groups,
            commands::groups::template_groups_set,
            commands::transfer::import_pick,
            commands::transfer::import_file,
            commands::transfer::import_cancel,
            commands::transfer::import_undo,
            commands::transfer::import_close,
            commands::transfer::import_save_errors,
            commands::transfer::export_customers,
            menu::test_drag,
        ])
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                use tauri::Manager;
                app.state::<state::AppState>().close();
            }
        }),
        Err(err) => {
            eprintln!("clientbook-app: could not start the window: {err}");
            std::process::exit(1);
        }
    }
}
