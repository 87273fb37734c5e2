//! The native menu bar and files dropped on the window. Both only tell the page what happened
//! (events `menu`, `drop-hover`, `import-dropped`, `import-drop-refused`, `database-dropped`);
//! the page runs the flow.

use crate::commands::transfer::{check_importable, Chosen};
use crate::state::AppState;
use serde::Serialize;
use std::path::PathBuf;
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, DragDropEvent, Emitter, Manager, Runtime, Window};

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let import = MenuItemBuilder::with_id("import", "Import customers…")
        .accelerator("CmdOrCtrl+I")
        .build(app)?;
    let export = MenuItemBuilder::with_id("export", "Export customers…")
        .accelerator("CmdOrCtrl+E")
        .build(app)?;
    let state = app.state::<AppState>();
    let open = state.store().is_ok();
    let mut recent = SubmenuBuilder::new(app, "Open recent");
    let files = state.recent();
    if files.is_empty() {
        recent = recent.item(
            &MenuItemBuilder::with_id("recent-none", "No recent databases")
                .enabled(false)
                .build(app)?,
        );
    }
    for (i, f) in files.iter().enumerate() {
        // Missing files stay listed, greyed out, with where they were.
        let label = match f.exists {
            true => f.name.clone(),
            false => format!("{} (missing: {})", f.name, f.path.display()),
        };
        recent = recent.item(
            &MenuItemBuilder::with_id(format!("recent-{i}"), label)
                .enabled(f.exists)
                .build(app)?,
        );
    }
    let item = |id: &str, label: &str, enabled: bool| {
        MenuItemBuilder::with_id(id, label)
            .enabled(enabled)
            .build(app)
    };
    let file = SubmenuBuilder::new(app, "File")
        .item(&item("db-new", "New database…", true)?)
        .item(&item("db-open", "Open database…", true)?)
        .item(&recent.build()?)
        .item(&item("db-copy", "Save a copy…", open)?)
        .item(&item("db-close", "Close database", open)?)
        .separator()
        .item(&import)
        .item(&export)
        .separator()
        .quit()
        .build()?;
    let autotask = MenuItemBuilder::with_id("autotask-settings", "Autotask…").build(app)?;
    let settings = SubmenuBuilder::new(app, "Settings")
        .item(&autotask)
        .build()?;
    let refresh =
        MenuItemBuilder::with_id("autotask-refresh", "Refresh all mappings").build(app)?;
    let pull =
        MenuItemBuilder::with_id("autotask-pull", "Import companies from Autotask…").build(app)?;
    let autotask_menu = SubmenuBuilder::new(app, "Autotask")
        .item(&refresh)
        .item(&pull)
        .build()?;
    MenuBuilder::new(app)
        .item(&file)
        .item(&autotask_menu)
        .item(&settings)
        .build()
}

/// Menu choices go to the page as a `menu` event carrying the item's id.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let _ = app.emit("menu", event.id().0.as_str());
}

#[derive(Serialize, Clone, Default)]
struct Hover {
    active: bool,
    /// A database file is being dragged: dropping it offers to open it.
    database: bool,
    /// What is wrong with what is being dragged, shown in the overlay.
    problem: Option<String>,
}

#[derive(Serialize, Clone)]
struct Refused {
    message: String,
}

/// One dropped file named like a database (`.clientbook`, `.db`, `.sqlite`).
fn database_file(paths: &[std::path::PathBuf]) -> Option<&std::path::Path> {
    match paths {
        [one] if one.is_file() => {
            let ext = one.extension()?.to_string_lossy().to_ascii_lowercase();
            matches!(ext.as_str(), "clientbook" | "db" | "sqlite").then_some(one.as_path())
        }
        _ => None,
    }
}

#[derive(Serialize, Clone)]
struct Dropped {
    name: String,
}

/// Dragging shows the page's drop overlay; dropping one CSV file makes it the import flow's file,
/// dropping a database file offers to open it.
pub fn on_drop<R: Runtime>(window: &Window<R>, event: &DragDropEvent) {
    let hover = |hover: Hover| {
        let _ = window.emit("drop-hover", hover);
    };
    match event {
        DragDropEvent::Enter { paths, .. } => {
            let database = database_file(paths).is_some();
            let problem = match database {
                true => None,
                false => check_importable(paths).err(),
            };
            hover(Hover {
                active: true,
                database,
                problem,
            });
        }
        DragDropEvent::Leave => hover(Hover::default()),
        DragDropEvent::Drop { paths, .. } => {
            hover(Hover::default());
            if let Some(path) = database_file(paths) {
                window
                    .state::<AppState>()
                    .set_dropped_database(Some(path.to_owned()));
                let name = crate::database_name(path);
                let _ = window.emit("database-dropped", Dropped { name });
                return;
            }
            match check_importable(paths) {
                Ok(path) => {
                    window
                        .state::<AppState>()
                        .set_import_file(Some(path.to_owned()));
                    let _ = window.emit("import-dropped", Chosen::of(path));
                }
                Err(message) => {
                    let _ = window.emit("import-drop-refused", Refused { message });
                }
            }
        }
        _ => {}
    }
}

/// Set by the end-to-end test: `test_drag` may then play a drag over the window.
const TEST_DRAG: &str = "CLIENTBOOK_TEST_DRAG";

/// Plays one step of a drag of `paths` over the window (`stage`: `enter`, `leave` or `drop`)
/// through [`on_drop`], exactly as a real drag arrives. WebDriver cannot drag files in from
/// outside the window, so the end-to-end test uses this; without `CLIENTBOOK_TEST_DRAG` in the
/// app's environment it refuses, so the page can never name a file itself.
#[tauri::command]
pub fn test_drag(window: Window, stage: String, paths: Vec<PathBuf>) -> Result<(), String> {
    if std::env::var_os(TEST_DRAG).is_none() {
        return Err("Dragging is only played by the end-to-end test.".into());
    }
    let position = tauri::PhysicalPosition::new(100.0, 100.0);
    let event = match stage.as_str() {
        "enter" => DragDropEvent::Enter { paths, position },
        "drop" => DragDropEvent::Drop { paths, position },
        "leave" => DragDropEvent::Leave,
        other => return Err(format!("'{other}' is not a drag stage.")),
    };
    on_drop(&window, &event);
    Ok(())
}
