//! The native menu bar and files dropped on the window. Both only tell the page what happened
//! (events `menu`, `drop-hover`, `import-dropped`, `import-drop-refused`); the page runs the flow.

use crate::commands::transfer::{check_importable, Chosen};
use crate::state::AppState;
use serde::Serialize;
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, DragDropEvent, Emitter, Manager, Runtime, Window};

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let import = MenuItemBuilder::with_id("import", "Import customers…")
        .accelerator("CmdOrCtrl+I")
        .build(app)?;
    let export = MenuItemBuilder::with_id("export", "Export customers…")
        .accelerator("CmdOrCtrl+E")
        .build(app)?;
    let file = SubmenuBuilder::new(app, "File")
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

#[derive(Serialize, Clone)]
struct Hover {
    active: bool,
    /// What is wrong with what is being dragged, shown in the overlay.
    problem: Option<String>,
}

#[derive(Serialize, Clone)]
struct Refused {
    message: String,
}

/// Dragging shows the page's drop overlay; dropping one CSV file makes it the import flow's file.
pub fn on_drop<R: Runtime>(window: &Window<R>, event: &DragDropEvent) {
    match event {
        DragDropEvent::Enter { paths, .. } => {
            let problem = check_importable(paths).err();
            let _ = window.emit(
                "drop-hover",
                Hover {
                    active: true,
                    problem,
                },
            );
        }
        DragDropEvent::Leave => {
            let _ = window.emit(
                "drop-hover",
                Hover {
                    active: false,
                    problem: None,
                },
            );
        }
        DragDropEvent::Drop { paths, .. } => {
            let _ = window.emit(
                "drop-hover",
                Hover {
                    active: false,
                    problem: None,
                },
            );
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
