//! Tauri commands, one module per noun. Each is a few lines: arguments in, one core call (off
//! the UI thread), the result (or a `{kind, message, field?}` error) out.

pub mod admins;
pub mod autotask;
pub mod copy;
pub mod customers;
pub mod database;
pub mod groups;
pub mod history;
pub mod jobs;
pub mod services;
pub mod transfer;
pub mod users;

/// What a command returns: its value, or the one error type the page can place.
pub type Res<T> = Result<T, clientbook::Error>;

/// Commands that are one store call each, off the UI thread, written one line apiece:
/// `fn name(arg: Type, …) -> Returned => |store| store.method(…);` The page invokes them as any
/// other command; a closed or damaged database answers with its error.
macro_rules! store_commands {
    ($( $(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty => |$s:ident| $call:expr; )*) => {
        $(
            $(#[$doc])*
            #[tauri::command]
            pub async fn $name(
                state: tauri::State<'_, crate::state::AppState>,
                $($arg: $ty),*
            ) -> crate::commands::Res<$ret> {
                crate::state::blocking(&state, move |$s| $call).await
            }
        )*
    };
}
pub(crate) use store_commands;
