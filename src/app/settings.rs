//! App settings that outlive a board: theme, recent files, snapping. Never saved in a board.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const STORAGE_KEY: &str = "archboard.settings";
const MAX_RECENT: usize = 10;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    pub recent: Vec<PathBuf>,
    pub snap_to_grid: bool,
    pub sidebar: bool,
    pub badges: bool,
    /// Where the last PNG export went, to suggest it again.
    pub last_export_folder: Option<PathBuf>,
    /// The name and colour others see in a shared room; chosen the first time.
    pub profile: Option<Profile>,
    /// Practice in study mode: the rubric and the answers show all along.
    pub study_mode: bool,
}

/// How others see you in a shared room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::System,
            recent: Vec::new(),
            snap_to_grid: true,
            sidebar: true,
            badges: true,
            last_export_folder: None,
            profile: None,
            study_mode: false,
        }
    }
}

impl Settings {
    /// Moves `path` to the front of the recent list.
    pub fn remember(&mut self, path: &Path) {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &abs);
        self.recent.insert(0, abs);
        self.recent.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut s = Settings::default();
        for i in 0..15 {
            s.remember(Path::new(&format!("/b/{i}.ron")));
        }
        s.remember(Path::new("/b/3.ron"));
        assert_eq!(s.recent.len(), MAX_RECENT);
        assert_eq!(s.recent[0], PathBuf::from("/b/3.ron"));
        assert_eq!(s.recent.iter().filter(|p| p.ends_with("3.ron")).count(), 1);
    }
}
