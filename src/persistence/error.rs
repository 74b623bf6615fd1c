//! Errors from reading and writing board files. Every message names the file.

use std::path::{Path, PathBuf};

/// Why a board could not be loaded. Loading never changes the file on disk.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: cannot read: {source}", name.display())]
    Io {
        name: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the file is {size} bytes, over the {limit}-byte limit for a board", name.display())]
    TooLarge {
        name: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{}: the file is empty, so it holds no board", name.display())]
    Empty { name: PathBuf },
    #[error(
        "{}:{line}:{col}: not text (invalid UTF-8); is this an archboard board?",
        name.display()
    )]
    NotText {
        name: PathBuf,
        line: usize,
        col: usize,
    },
    #[error("{}:{line}:{col}: {message}", name.display())]
    Syntax {
        name: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error(
        "{}: made by a newer archboard (format version {found}; this build reads up to version {supported}); update archboard to open it",
        name.display()
    )]
    NewerVersion {
        name: PathBuf,
        found: u64,
        supported: u32,
    },
    #[error("{}: format version {found} is not one archboard ever wrote", name.display())]
    UnknownVersion { name: PathBuf, found: u64 },
    /// A PNG or SVG that holds no board, or a damaged one.
    #[error("{}: {problem}", name.display())]
    Picture { name: PathBuf, problem: String },
    #[error("{}: {problem}", name.display())]
    Invalid {
        name: PathBuf,
        problem: crate::model::validate::Invalid,
    },
}

impl LoadError {
    pub(crate) fn io(name: &Path, source: std::io::Error) -> Self {
        Self::Io {
            name: name.to_path_buf(),
            source,
        }
    }
}

/// Why a board could not be saved. The previous file at the target, if any, is intact.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot save: {source}", path.display())]
pub struct SaveError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}
