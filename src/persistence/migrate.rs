//! Upgrading files written by older builds.
//!
//! Each format version that ever shipped keeps a step here that turns its text into the next
//! version's shape, and a test that loads a file of that version. Version 1 is the first released
//! format, so the chain is still empty: a version below 1 was never written by archboard.
//!
//! To add version N+1: copy the current `BoardFile` into a `v{N}` module, change `BoardFile`, add
//! an arm `N => upgrade_v{N}(parse::<v{N}::BoardFile>(..))` below, and a fixture test for it.

use super::error::LoadError;
use super::format::{BoardFile, FORMAT_VERSION};
use std::path::Path;

/// Brings a file of an older `version` up to [`FORMAT_VERSION`].
pub(super) fn upgrade(_text: &str, version: u64, name: &Path) -> Result<BoardFile, LoadError> {
    debug_assert!(version < u64::from(FORMAT_VERSION));
    // No version below 1 was ever written.
    Err(LoadError::UnknownVersion {
        name: name.to_path_buf(),
        found: version,
    })
}
