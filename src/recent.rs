//! The app's "Recent databases": the last eight files opened, newest first, kept as JSON in the
//! OS config directory (`~/.config/clientbook/recent.json`). A file that has gone missing stays
//! listed (greyed out in the menu) until it drops off the end or is opened again.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const MAX_RECENT: usize = 8;

/// One entry as the menu shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecentFile {
    pub path: PathBuf,
    pub name: String,
    pub exists: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recent {
    paths: Vec<PathBuf>,
}

/// Where the list is kept.
pub fn default_location() -> PathBuf {
    dirs::config_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("clientbook")
        .join("recent.json")
}

impl Recent {
    /// The list kept at `file`; an unreadable or missing file is an empty list (it is only a
    /// convenience, never a reason to stop).
    pub fn load(file: &Path) -> Recent {
        std::fs::read(file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Recent>(&bytes).ok())
            .map(|mut r| {
                r.paths.truncate(MAX_RECENT);
                r
            })
            .unwrap_or_default()
    }

    /// Writes the list (temp file + rename, so a crash never leaves half a list).
    pub fn save(&self, file: &Path) -> std::io::Result<()> {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let temp = file.with_extension("json.tmp");
        std::fs::write(&temp, serde_json::to_vec_pretty(self).unwrap_or_default())?;
        std::fs::rename(temp, file)
    }

    /// `path` was opened: it moves to the top; the list keeps the newest eight.
    pub fn opened(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|p| p != &path);
        self.paths.insert(0, path);
        self.paths.truncate(MAX_RECENT);
    }

    pub fn files(&self) -> Vec<RecentFile> {
        self.paths
            .iter()
            .map(|p| RecentFile {
                name: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string()),
                exists: p.is_file(),
                path: p.clone(),
            })
            .collect()
    }

    pub fn get(&self, index: usize) -> Option<&Path> {
        self.paths.get(index).map(PathBuf::as_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_no_duplicates_at_most_eight_missing_ones_marked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config/recent.json");
        let mut recent = Recent::load(&file);
        assert!(recent.files().is_empty(), "no file yet: empty");
        let db = |i: usize| dir.path().join(format!("db{i}.clientbook"));
        for i in 0..10 {
            std::fs::write(db(i), b"").unwrap();
            recent.opened(&db(i));
        }
        recent.opened(&db(5));
        std::fs::remove_file(db(7)).unwrap();
        recent.save(&file).unwrap();
        let files = Recent::load(&file).files();
        let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "db5.clientbook",
                "db9.clientbook",
                "db8.clientbook",
                "db7.clientbook",
                "db6.clientbook",
                "db4.clientbook",
                "db3.clientbook",
                "db2.clientbook"
            ]
        );
        assert!(!files[3].exists && files[0].exists);
        std::fs::write(&file, b"{not json").unwrap();
        assert!(
            Recent::load(&file).files().is_empty(),
            "a broken list is empty"
        );
    }
}
