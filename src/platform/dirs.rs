//! Where the user's own files live: palettes, problems, recovery copies. A browser tab has no
//! such folders; what it keeps goes to [`super::storage`].

use std::path::PathBuf;

/// The user's configuration folder for archboard (`$XDG_CONFIG_HOME/archboard` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    #[cfg(not(target_arch = "wasm32"))]
    return directories::ProjectDirs::from("", "", "archboard")
        .map(|d| d.config_dir().to_path_buf());
    #[cfg(target_arch = "wasm32")]
    None
}

/// The user's data folder for archboard (`$XDG_DATA_HOME/archboard` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    #[cfg(not(target_arch = "wasm32"))]
    return directories::ProjectDirs::from("", "", "archboard").map(|d| d.data_dir().to_path_buf());
    #[cfg(target_arch = "wasm32")]
    None
}
