//! The write-ahead log after a large import, copied into the database file off the import's
//! path.
//!
//! A commit normally ends with SQLite's automatic checkpoint, which copies the log into the
//! file. After a million-row import the log holds about a gigabyte, and copying it took 2–3 s
//! that the user spent waiting for an import that was already committed and searchable. A bulk
//! import therefore commits without that checkpoint and this runs it on a thread of its own,
//! on a connection of its own: a PASSIVE checkpoint, which neither waits for nor blocks the
//! reader and the writer, then a TRUNCATE one that empties the log (giving its gigabyte of disk
//! back) if no reader keeps it busy for more than a moment. Until then readers find the import's
//! pages in the log, as they do for any committed change. The bulk commit syncs the log to disk
//! (`synchronous = FULL` for that commit), so a crash or power loss meanwhile loses nothing: the
//! log is the committed data, and SQLite copies it on the next opening. The command line and
//! closing the app still wait for the copy (the store waits for it when it closes).

use rusqlite::{Connection, OpenFlags};
use std::path::PathBuf;
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::Duration;

/// The checkpoint running in the background, if any. Dropping it waits for it: the store's
/// writer must be the last connection to close, so that its close removes the `-wal` and
/// `-shm` files and leaves one self-contained file.
#[derive(Default)]
pub(crate) struct Checkpointer(Mutex<Option<JoinHandle<()>>>);

impl Checkpointer {
    /// Starts copying the log of `path` into the file, once a checkpoint still running from
    /// before has finished.
    pub fn start(&self, path: PathBuf) {
        let mut running = super::lock(&self.0);
        // Rarely still running (two large imports within seconds); never left unwaited for.
        if let Some(before) = running.take() {
            let _ = before.join();
        }
        let spawned = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || {
                if let Err(e) = checkpoint(&path) {
                    log::warn!(
                        "could not copy the write-ahead log of '{}' into it after an import \
                         (it is copied later): {e}",
                        path.display()
                    );
                }
            });
        match spawned {
            Ok(handle) => *running = Some(handle),
            // No thread to be had: the checkpoint is left to the next commit or to closing the
            // file, which both run one anyway.
            Err(e) => log::warn!("could not start the checkpoint after an import: {e}"),
        }
    }

    /// Waits until no checkpoint runs.
    pub fn wait(&self) {
        let handle = super::lock(&self.0).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.wait();
    }
}

fn checkpoint(path: &std::path::Path) -> rusqlite::Result<()> {
    // Never creating it: a file removed meanwhile has nothing to copy into.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
    // Emptying the log holds new writes up while it waits for readers: a moment at most.
    conn.busy_timeout(Duration::from_millis(250))?;
    // Busy is an answer, not an error: a reader kept the log in use; a later checkpoint
    // empties it.
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        log::info!(
            "the write-ahead log of '{}' stays until a later checkpoint: a reader was using it",
            path.display()
        );
    }
    conn.close().map_err(|(_, e)| e)
}
